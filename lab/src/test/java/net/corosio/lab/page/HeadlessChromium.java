package net.corosio.lab.page;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Debian's headless Chromium, driven over the DevTools protocol (a loopback port, the JDK's
 * WebSocket): it loads a page, records every console error, uncaught exception, error log entry and
 * network request the page makes, evaluates expressions in it, and takes a full-page screenshot.
 * Every wait has a deadline; {@link #close()} ends the browser and removes its profile.
 */
final class HeadlessChromium implements AutoCloseable {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");
    private static final List<String> NAMES = List.of("chromium", "chromium-browser", "google-chrome");

    private final ObjectMapper json = new ObjectMapper();
    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> loaded = new CompletableFuture<>();

    /**
     * Finds the browser on the PATH.
     *
     * @return its path, if installed
     */
    static Optional<Path> find() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            for (String name : NAMES) {
                Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Starts the browser on a blank page and attaches to that page.
     *
     * @param binary the browser
     * @param width the viewport's width in CSS pixels
     * @throws Exception if it does not start or attach within the deadline
     */
    HeadlessChromium(Path binary, int width) throws Exception {
        this.profile = Files.createTempDirectory("corosio-chromium-");
        this.process = new ProcessBuilder(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--hide-scrollbars", "--user-data-dir=" + profile, "--remote-debugging-port=0",
                "about:blank").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            URI browser = URI.create(awaitListening());
            HttpClient http = HttpClient.newBuilder().connectTimeout(DEADLINE).build();
            String list = http.send(HttpRequest.newBuilder(URI.create("http://" + browser.getAuthority() + "/json/list"))
                    .timeout(DEADLINE).build(), HttpResponse.BodyHandlers.ofString()).body();
            String page = null;
            for (JsonNode target : json.readTree(list)) {
                if (target.path("type").asText().equals("page")) {
                    page = target.path("webSocketDebuggerUrl").asText();
                    break;
                }
            }
            if (page == null) {
                throw new IOException("the browser lists no page: " + list);
            }
            this.socket = http.newWebSocketBuilder().connectTimeout(DEADLINE).buildAsync(URI.create(page), new Listener())
                    .get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            for (String domain : List.of("Runtime", "Log", "Page", "Network")) {
                call(domain + ".enable", json.createObjectNode());
            }
            call("Emulation.setDeviceMetricsOverride", json.createObjectNode().put("width", width).put("height", 900)
                    .put("deviceScaleFactor", 1).put("mobile", false));
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    /** Reads the browser's standard error until it names its DevTools endpoint, then drains it. */
    private String awaitListening() throws Exception {
        BufferedReader stderr = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> endpoint = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                String line;
                while ((line = stderr.readLine()) != null) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        endpoint.complete(m.group(1));
                    }
                }
                endpoint.completeExceptionally(new IOException("the browser exited before listening"));
            } catch (IOException e) {
                endpoint.completeExceptionally(e);
            }
        });
        return endpoint.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }

    /**
     * Loads a page and waits for its load event.
     *
     * @param page the file
     * @throws Exception if it does not load within the deadline
     */
    void load(Path page) throws Exception {
        call("Page.navigate", json.createObjectNode().put("url", page.toUri().toString()));
        loaded.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }

    /**
     * Evaluates an expression in the page.
     *
     * @param expression JavaScript whose value can be serialised as JSON
     * @return the value
     * @throws Exception if it throws or does not answer within the deadline
     */
    JsonNode evaluate(String expression) throws Exception {
        JsonNode result = call("Runtime.evaluate", json.createObjectNode().put("expression", expression)
                .put("returnByValue", true));
        if (result.has("exceptionDetails")) {
            throw new IllegalStateException("the expression threw: " + result.get("exceptionDetails"));
        }
        return result.path("result").path("value");
    }

    /**
     * Takes a screenshot of the whole page.
     *
     * @param file where the PNG goes
     * @param width the page's width
     * @param height the page's height
     * @throws Exception if the browser does not answer within the deadline
     */
    void screenshot(Path file, int width, int height) throws Exception {
        ObjectNode clip = json.createObjectNode().put("x", 0).put("y", 0).put("width", width).put("height", height)
                .put("scale", 1);
        ObjectNode params = json.createObjectNode().put("format", "png").put("captureBeyondViewport", true);
        params.set("clip", clip);
        JsonNode shot = call("Page.captureScreenshot", params);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, Base64.getDecoder().decode(shot.path("data").asText()));
    }

    /**
     * Returns what went wrong in the page so far: console errors, uncaught exceptions, error log entries.
     *
     * @return one line each
     */
    List<String> errors() {
        return List.copyOf(errors);
    }

    /**
     * Returns every URL the page requested, the page itself included.
     *
     * @return the URLs, in order
     */
    List<String> requests() {
        return List.copyOf(requests);
    }

    private JsonNode call(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        ObjectNode message = json.createObjectNode().put("id", id).put("method", method);
        message.set("params", params);
        socket.sendText(json.writeValueAsString(message), true).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        JsonNode answer = reply.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        if (answer.has("error")) {
            throw new IllegalStateException(method + " failed: " + answer.get("error"));
        }
        return answer.path("result");
    }

    private void onMessage(String text) {
        JsonNode message;
        try {
            message = json.readTree(text);
        } catch (IOException e) {
            errors.add("unreadable DevTools message: " + e.getMessage());
            return;
        }
        if (message.has("id")) {
            CompletableFuture<JsonNode> reply = pending.remove(message.get("id").asInt());
            if (reply != null) {
                reply.complete(message);
            }
            return;
        }
        JsonNode params = message.path("params");
        switch (message.path("method").asText()) {
            case "Runtime.consoleAPICalled" -> {
                String type = params.path("type").asText();
                if (type.equals("error") || type.equals("assert")) {
                    errors.add("console." + type + ": " + params.path("args"));
                }
            }
            case "Runtime.exceptionThrown" -> errors.add("uncaught: " + params.path("exceptionDetails"));
            case "Log.entryAdded" -> {
                if (params.path("entry").path("level").asText().equals("error")) {
                    errors.add("log: " + params.path("entry").path("text").asText() + " "
                            + params.path("entry").path("url").asText());
                }
            }
            case "Network.requestWillBeSent" -> requests.add(params.path("request").path("url").asText());
            case "Page.loadEventFired" -> loaded.complete(null);
            default -> {
                // other events are not needed
            }
        }
    }

    /** Reassembles messages that arrive in parts (a screenshot is megabytes of base64). */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                onMessage(text);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            pending.values().forEach(p -> p.completeExceptionally(error));
        }
    }

    @Override
    public void close() throws IOException {
        if (socket != null) {
            socket.abort();
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(profile)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // A profile file the browser still held: the temporary directory is cleaned up later.
        }
    }
}
