package net.corosio.examples.resp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import okio.ByteString;

/**
 * Splits an inline command line into arguments the way Redis does ({@code sdssplitargs}): words
 * separated by spaces or tabs; "double quotes" with {@code \n \r \t \b \a \\ \" \xHH} escapes;
 * 'single quotes' with only {@code \'}. A closing quote must be followed by a space or the end of
 * the line, and every quote must be closed, or the line is refused as unbalanced.
 */
final class InlineSplitter {

    private InlineSplitter() {}

    /**
     * Splits a line whose characters are bytes (ISO-8859-1).
     *
     * @param line the line, without its line end
     * @return the arguments; empty for a blank line
     * @throws RespProtocolError if a quote is not closed or is followed by something other than a space
     */
    static List<ByteString> split(String line) throws RespProtocolError {
        List<ByteString> args = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (true) {
            while (i < n && isSpace(line.charAt(i))) {
                i++;
            }
            if (i == n) {
                return args;
            }
            StringBuilder current = new StringBuilder();
            boolean inDouble = false;
            boolean inSingle = false;
            while (true) {
                if (i == n) {
                    if (inDouble || inSingle) {
                        throw new RespProtocolError("unbalanced quotes in request");
                    }
                    break;
                }
                char c = line.charAt(i);
                if (inDouble) {
                    if (c == '\\' && i + 3 < n && line.charAt(i + 1) == 'x' && isHex(line.charAt(i + 2))
                            && isHex(line.charAt(i + 3))) {
                        current.append((char) Integer.parseInt(line.substring(i + 2, i + 4), 16));
                        i += 4;
                        continue;
                    }
                    if (c == '\\' && i + 1 < n) {
                        char escaped = line.charAt(i + 1);
                        current.append(switch (escaped) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            case 'b' -> '\b';
                            case 'a' -> (char) 7;
                            default -> escaped;
                        });
                        i += 2;
                        continue;
                    }
                    if (c == '"') {
                        if (i + 1 < n && !isSpace(line.charAt(i + 1))) {
                            throw new RespProtocolError("unbalanced quotes in request");
                        }
                        inDouble = false;
                        i++;
                        break;
                    }
                    current.append(c);
                    i++;
                } else if (inSingle) {
                    if (c == '\\' && i + 1 < n && line.charAt(i + 1) == '\'') {
                        current.append('\'');
                        i += 2;
                        continue;
                    }
                    if (c == '\'') {
                        if (i + 1 < n && !isSpace(line.charAt(i + 1))) {
                            throw new RespProtocolError("unbalanced quotes in request");
                        }
                        inSingle = false;
                        i++;
                        break;
                    }
                    current.append(c);
                    i++;
                } else if (isSpace(c)) {
                    break;
                } else if (c == '"') {
                    inDouble = true;
                    i++;
                } else if (c == '\'') {
                    inSingle = true;
                    i++;
                } else {
                    current.append(c);
                    i++;
                }
            }
            args.add(ByteString.encodeString(current.toString(), StandardCharsets.ISO_8859_1));
        }
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0b;
    }

    private static boolean isHex(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }
}
