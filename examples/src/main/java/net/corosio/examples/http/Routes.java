package net.corosio.examples.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import okio.Buffer;
import okio.ByteString;

/**
 * What the HTTP example serves: {@code GET /} and {@code /hello} (a fixed greeting, what wrk
 * measures), {@code GET /static/NAME} (the {@link StaticFiles}), and {@code POST}/{@code PUT /echo}
 * (the request body back, to show Content-Length and chunked bodies arriving intact). HEAD works
 * wherever GET does. Anything else is 404, or 405 with {@code Allow} for a known path.
 */
final class Routes {

    /** The greeting; the lab's nginx reference serves the same bytes. */
    static final ByteString HELLO = ByteString.encodeString("Hello, World!\n", StandardCharsets.UTF_8);

    private final StaticFiles files;

    Routes(StaticFiles files) {
        this.files = files;
    }

    /** Answers one request whose body has been read. */
    Response respond(RequestHead head, Buffer body) {
        String path = head.path();
        String method = head.method();
        if (path.equals("/") || path.equals("/hello")) {
            return readOnly(method, Response.of(200, Response.TEXT, HELLO));
        }
        if (path.startsWith("/static/")) {
            Response file = files.get(path.substring("/static/".length()));
            return file == null ? Response.text(404, "404 Not Found: no such static file") : readOnly(method, file);
        }
        if (path.equals("/echo")) {
            if (!method.equals("POST") && !method.equals("PUT")) {
                return notAllowed("POST, PUT");
            }
            String type = head.header("Content-Type");
            return Response.of(200, type == null ? "application/octet-stream" : type, body.readByteString());
        }
        return Response.text(404, "404 Not Found");
    }

    private static Response readOnly(String method, Response response) {
        return method.equals("GET") || method.equals("HEAD") ? response : notAllowed("GET, HEAD");
    }

    private static Response notAllowed(String allow) {
        Response text = Response.text(405, "405 Method Not Allowed");
        return new Response(405, text.contentType(), text.body(), List.of(new Header("Allow", allow)));
    }
}
