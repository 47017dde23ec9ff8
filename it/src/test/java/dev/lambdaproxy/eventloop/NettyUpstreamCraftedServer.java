package dev.lambdaproxy.eventloop;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * An endpoint that answers with bytes a test crafts, knowing which request on its connection it
 * answers: enough to close a kept-alive connection on its second request, the stale-connection
 * case. One thread per connection on 127.0.0.1 and an ephemeral port; every request head is recorded.
 */
final class NettyUpstreamCraftedServer implements AutoCloseable {

  /** Writes the answer to one request; may block, write in pieces, close or reset the socket. */
  @FunctionalInterface
  interface Answer {
    /**
     * @param nth 1 for the first request on this connection
     * @return true to keep the connection for a next request
     */
    boolean write(Socket socket, OutputStream out, String head, int nth) throws IOException, InterruptedException;
  }

  private final ServerSocket listener;
  private final String scheme;
  private final Answer answer;
  private final List<String> heads = new CopyOnWriteArrayList<>();
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger closed = new AtomicInteger();

  NettyUpstreamCraftedServer(Answer answer) throws IOException {
    this(null, answer);
  }

  /** Over TLS with {@code tls}'s certificate, or in the clear when it is null. */
  NettyUpstreamCraftedServer(SSLContext tls, Answer answer) throws IOException {
    this.answer = answer;
    this.scheme = tls == null ? "http" : "https";
    this.listener = tls == null
        ? new ServerSocket(0, 64, InetAddress.getLoopbackAddress())
        : tls.getServerSocketFactory().createServerSocket(0, 64, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "crafted-endpoint-" + listener.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Answers every request with {@code bytes}, keeping the connection. */
  static NettyUpstreamCraftedServer keepAlive(String bytes) throws IOException {
    return new NettyUpstreamCraftedServer((socket, out, head, nth) -> {
      write(out, bytes);
      return true;
    });
  }

  static void write(OutputStream out, String bytes) throws IOException {
    out.write(bytes.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /** Closes with a TCP RST rather than a FIN. */
  static void reset(Socket socket) throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  URI uri(String path) {
    return URI.create(scheme + "://127.0.0.1:" + listener.getLocalPort() + path);
  }

  List<String> heads() {
    return List.copyOf(heads);
  }

  int requestCount() {
    return heads.size();
  }

  int connectionCount() {
    return connections.get();
  }

  /** Connections that ended, whichever side closed them. */
  int closedCount() {
    return closed.get();
  }

  private void accept() {
    while (!listener.isClosed()) {
      Socket socket;
      try {
        socket = listener.accept();
      } catch (IOException e) {
        return;
      }
      connections.incrementAndGet();
      open.add(socket);
      Thread serving = new Thread(() -> serve(socket), "crafted-endpoint-conn");
      serving.setDaemon(true);
      serving.start();
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      for (int nth = 1; ; nth++) {
        String head = readHead(in);
        if (head == null) {
          return;
        }
        long length = contentLength(head);
        if (in.readNBytes((int) length).length < length) {
          return;
        }
        heads.add(head);
        if (!answer.write(socket, out, head, nth)) {
          return;
        }
      }
    } catch (IOException e) {
      // the peer closed or reset it
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      open.remove(socket);
      closed.incrementAndGet();
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
      matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
          ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  private static long contentLength(String head) {
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).strip().toLowerCase(Locale.ROOT).equals("content-length")) {
        return Long.parseLong(line.substring(colon + 1).strip());
      }
    }
    return 0;
  }

  @Override
  public void close() throws IOException {
    listener.close();
    for (Socket socket : new ArrayList<>(open)) {
      socket.close();
    }
  }
}
