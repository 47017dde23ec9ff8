package dev.lambdaproxy.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Forwards TCP connections from a loopback port to a target port, byte for byte. Closing it is an
 * endpoint going down (listener closed, every connection cut); a new relay on the same port is the
 * endpoint coming back, while the signatures are still checked by the FakeLambda behind it.
 */
final class TcpRelay implements AutoCloseable {

  private final ServerSocket listener;
  private final int targetPort;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  private TcpRelay(ServerSocket listener, int targetPort) {
    this.listener = listener;
    this.targetPort = targetPort;
    Thread acceptor = new Thread(this::accept, "tcp-relay-" + listener.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** A relay that ends TLS on an ephemeral port, with {@code tls}'s certificate, in front of {@code 127.0.0.1:targetPort}. */
  static TcpRelay startTls(javax.net.ssl.SSLContext tls, int targetPort) throws IOException {
    ServerSocket listener = tls.getServerSocketFactory().createServerSocket(0, 128, InetAddress.getLoopbackAddress());
    return new TcpRelay(listener, targetPort);
  }

  /** A relay on {@code port} (0: an ephemeral one) to {@code 127.0.0.1:targetPort}. */
  static TcpRelay start(int port, int targetPort) throws IOException {
    ServerSocket listener = new ServerSocket();
    listener.setReuseAddress(true); // the port of a relay just closed may still have connections in TIME_WAIT
    listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
    return new TcpRelay(listener, targetPort);
  }

  int port() {
    return listener.getLocalPort();
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        synchronized (this) {
          // A connection accepted while close() ran must not outlive the relay: "down" means down.
          if (listener.isClosed()) {
            closeQuietly(client);
            closeQuietly(target);
            return;
          }
          sockets.add(client);
          sockets.add(target);
        }
        pump(client, target);
        pump(target, client);
      } catch (IOException e) {
        if (listener.isClosed()) {
          return;
        }
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread thread = new Thread(() -> {
      byte[] buffer = new byte[16 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
          out.write(buffer, 0, read);
          out.flush();
        }
      } catch (IOException e) {
        // either side went away: the other is closed below
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }, "tcp-relay-pump");
    thread.setDaemon(true);
    thread.start();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public synchronized void close() throws IOException {
    listener.close();
    for (Socket socket : sockets) {
      closeQuietly(socket);
    }
    sockets.clear();
  }
}
