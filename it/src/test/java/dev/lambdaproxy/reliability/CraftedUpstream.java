package dev.lambdaproxy.reliability;

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

/**
 * An upstream that answers with bytes a test crafts: broken HTTP that a real server would never
 * send (a reset mid-body, a body shorter than its Content-Length, an endless header block).
 *
 * <p>It checks no signature: these tests are about what the proxy does with a broken answer, and
 * the signed request is proven elsewhere against FakeLambda. One thread per connection, on
 * 127.0.0.1 and an ephemeral port; every request head that arrives is recorded.
 */
final class CraftedUpstream implements AutoCloseable {

  /** Writes the answer to one request; may sleep, write in pieces, close or reset the socket. */
  @FunctionalInterface
  interface Answer {
    /**
     * @return true to keep the connection for a next request
     */
    boolean write(Socket socket, OutputStream out, String requestHead) throws IOException, InterruptedException;
  }

  private final ServerSocket listener;
  private final Answer answer;
  private final List<String> heads = new CopyOnWriteArrayList<>();
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger closedByPeer = new AtomicInteger();
  private final Thread acceptor;

  CraftedUpstream(Answer answer) throws IOException {
    this.answer = answer;
    this.listener = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
    this.acceptor = new Thread(this::accept, "crafted-upstream-" + listener.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Always answers {@code bytes} and closes the connection. */
  static CraftedUpstream always(String bytes) throws IOException {
    byte[] raw = bytes.getBytes(StandardCharsets.ISO_8859_1);
    return new CraftedUpstream((socket, out, head) -> {
      out.write(raw);
      out.flush();
      return false;
    });
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + listener.getLocalPort());
  }

  int port() {
    return listener.getLocalPort();
  }

  /** The request heads received, in order. */
  List<String> heads() {
    return List.copyOf(heads);
  }

  int requestCount() {
    return heads.size();
  }

  int connectionCount() {
    return connections.get();
  }

  /** Connections whose peer (the proxy) closed them while this side was waiting or writing. */
  int closedByPeerCount() {
    return closedByPeer.get();
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
      Thread serving = new Thread(() -> serve(socket), "crafted-upstream-conn");
      serving.setDaemon(true);
      serving.start();
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      while (true) {
        String head = readHead(in);
        if (head == null) {
          return;
        }
        long length = contentLength(head);
        if (in.readNBytes((int) length).length < length) {
          return;
        }
        heads.add(head);
        if (!answer.write(socket, out, head)) {
          return;
        }
      }
    } catch (IOException e) {
      closedByPeer.incrementAndGet();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      open.remove(socket);
    }
  }

  /** Waits until the peer closes the connection (read returns -1 or fails); true if it did within the time. */
  static boolean awaitPeerClose(Socket socket, long millis) {
    try {
      socket.setSoTimeout((int) millis);
      return socket.getInputStream().read() < 0;
    } catch (java.net.SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset by the peer
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
      matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : (b == '\r' ? 1 : 0);
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

  /** Makes close() send a TCP RST rather than a FIN. */
  static void reset(Socket socket) throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  @Override
  public void close() throws IOException {
    listener.close();
    List<Socket> sockets = new ArrayList<>(open);
    for (Socket socket : sockets) {
      socket.close();
    }
  }
}
