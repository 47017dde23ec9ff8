package dev.lambdaproxy.reliability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A client that writes exactly the bytes a test gives it and reads what comes back, for requests
 * that {@code java.net.http} would normalize or refuse to send (smuggling, odd paths, raw bytes).
 */
final class RawHttp {

  private RawHttp() {}

  /** The first response of what the server sent, parsed, and everything it sent, as received. */
  record Response(int status, List<Map.Entry<String, String>> headers, byte[] body, byte[] raw, String head, int consumed) {

    String header(String name) {
      for (Map.Entry<String, String> header : headers) {
        if (header.getKey().equalsIgnoreCase(name)) {
          return header.getValue();
        }
      }
      return null;
    }

    List<String> headerValues(String name) {
      List<String> values = new ArrayList<>();
      for (Map.Entry<String, String> header : headers) {
        if (header.getKey().equalsIgnoreCase(name)) {
          values.add(header.getValue());
        }
      }
      return values;
    }

    String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }

    /** How many responses the server sent on this connection, each framed by its own head: a second one means a second request was read. */
    int responseCount() {
      int count = 0;
      byte[] rest = raw;
      while (rest.length > 0) {
        Response next = parse(rest);
        if (next.status() == 0) {
          break;
        }
        count++;
        rest = java.util.Arrays.copyOfRange(rest, next.consumed(), rest.length);
      }
      return count;
    }

    @Override
    public String toString() {
      return head + "\n" + new String(body, 0, Math.min(body.length, 400), StandardCharsets.UTF_8);
    }
  }

  /**
   * Sends {@code request} (ISO-8859-1 text, so any byte can be written as a char) and reads until
   * the server closes: give requests {@code Connection: close}, or the read ends at the timeout.
   */
  static Response send(int port, String request) throws IOException {
    return send(port, request.getBytes(StandardCharsets.ISO_8859_1), Duration.ofSeconds(10));
  }

  static Response send(int port, byte[] request, Duration timeout) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout((int) timeout.toMillis());
      OutputStream out = socket.getOutputStream();
      out.write(request);
      out.flush();
      // No half-close: to Jetty an end of input can mean the client left. Requests say Connection: close.
      return parse(readAll(socket.getInputStream(), timeout));
    }
  }

  /** Reads until EOF, or until the deadline passes (what arrived so far is kept). */
  static byte[] readAll(InputStream in, Duration timeout) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buffer = new byte[16 * 1024];
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      int read;
      try {
        read = in.read(buffer);
      } catch (SocketTimeoutException e) {
        break;
      } catch (IOException e) {
        break; // reset after some bytes: keep what came
      }
      if (read < 0) {
        break;
      }
      all.write(buffer, 0, read);
    }
    return all.toByteArray();
  }

  /** Parses the first response in {@code raw}; status 0 when nothing parsable arrived. */
  static Response parse(byte[] raw) {
    String text = new String(raw, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (!text.startsWith("HTTP/") || end < 0) {
      return new Response(0, List.of(), new byte[0], raw, text, raw.length);
    }
    String head = text.substring(0, end);
    String[] lines = head.split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.add(Map.entry(lines[i].substring(0, colon).strip(), lines[i].substring(colon + 1).strip()));
      }
    }
    int bodyStart = end + 4;
    byte[] body;
    String length = null;
    boolean chunked = false;
    for (Map.Entry<String, String> header : headers) {
      if (header.getKey().equalsIgnoreCase("content-length")) {
        length = header.getValue();
      }
      if (header.getKey().equalsIgnoreCase("transfer-encoding") && header.getValue().toLowerCase(Locale.ROOT).contains("chunked")) {
        chunked = true;
      }
    }
    int[] consumed = {raw.length};
    if (chunked) {
      body = dechunk(raw, bodyStart, consumed);
    } else if (length != null) {
      int n = (int) Math.min(Long.parseLong(length), raw.length - bodyStart);
      body = java.util.Arrays.copyOfRange(raw, bodyStart, bodyStart + n);
      consumed[0] = bodyStart + n;
    } else {
      body = java.util.Arrays.copyOfRange(raw, bodyStart, raw.length);
    }
    return new Response(status, headers, body, raw, head, consumed[0]);
  }

  /** The body of a chunked message from {@code at}; {@code end[0]} becomes the offset after it. */
  private static byte[] dechunk(byte[] raw, int at, int[] end) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    int pos = at;
    while (pos < raw.length) {
      int lineEnd = indexOfCrlf(raw, pos);
      if (lineEnd < 0) {
        break;
      }
      String sizeText = new String(raw, pos, lineEnd - pos, StandardCharsets.ISO_8859_1).split(";")[0].strip();
      int size = Integer.parseInt(sizeText, 16);
      pos = lineEnd + 2;
      if (size == 0) {
        int trailerEnd = indexOfCrlf(raw, pos);
        end[0] = trailerEnd < 0 ? raw.length : trailerEnd + 2;
        break;
      }
      int n = Math.min(size, raw.length - pos);
      body.write(raw, pos, n);
      pos += n + 2;
    }
    return body.toByteArray();
  }

  private static int indexOfCrlf(byte[] raw, int from) {
    for (int i = from; i + 1 < raw.length; i++) {
      if (raw[i] == '\r' && raw[i + 1] == '\n') {
        return i;
      }
    }
    return -1;
  }
}
