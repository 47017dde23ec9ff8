package dev.lambdaproxy.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The addresses whose {@code X-Forwarded-For} the proxy believes (setting {@code trusted-proxies}:
 * IPs and CIDR blocks, comma-separated). From anyone else the header is ignored, so a client
 * cannot choose the {@code sourceIp} a function sees; nor, on an HTTP endpoint route, the
 * {@code X-Forwarded-*} and {@code Forwarded} headers the endpoint gets, which the proxy then
 * writes from what it saw instead of extending the client's.
 */
public final class TrustedProxies {

  private record Block(byte[] network, int prefixBits) {
    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int bits = prefixBits;
      for (int i = 0; i < address.length && bits > 0; i++, bits -= 8) {
        int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
        if ((address[i] & mask) != (network[i] & mask)) {
          return false;
        }
      }
      return true;
    }
  }

  private static final TrustedProxies NONE = new TrustedProxies(List.of(), "");

  private final List<Block> blocks;
  private final String text;

  private TrustedProxies(List<Block> blocks, String text) {
    this.blocks = List.copyOf(blocks);
    this.text = text;
  }

  public static TrustedProxies none() {
    return NONE;
  }

  /** @throws IllegalArgumentException naming an entry that is not an IP address or CIDR block */
  public static TrustedProxies parse(String text) {
    List<Block> blocks = new ArrayList<>();
    for (String entry : text.split(",")) {
      String trimmed = entry.strip();
      if (trimmed.isEmpty()) {
        continue;
      }
      int slash = trimmed.indexOf('/');
      String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
      byte[] bytes = literalAddress(address);
      if (bytes == null) {
        throw new IllegalArgumentException("'" + trimmed + "' is not an IP address or CIDR block such as 10.0.0.0/8");
      }
      int bits = bytes.length * 8;
      if (slash >= 0) {
        try {
          bits = Integer.parseInt(trimmed.substring(slash + 1));
        } catch (NumberFormatException e) {
          bits = -1;
        }
        if (bits < 0 || bits > bytes.length * 8) {
          throw new IllegalArgumentException("'" + trimmed + "' has a bad prefix length");
        }
      }
      blocks.add(new Block(bytes, bits));
    }
    return new TrustedProxies(blocks, text.strip());
  }

  public boolean isEmpty() {
    return blocks.isEmpty();
  }

  /** Whether a literal IP address (as the servlet API gives the peer) is trusted. */
  public boolean trusts(String address) {
    if (blocks.isEmpty() || address == null) {
      return false;
    }
    byte[] bytes = literalAddress(address);
    if (bytes == null) {
      return false;
    }
    for (Block block : blocks) {
      if (block.contains(bytes)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The client address: the peer, unless the peer is trusted, in which case the right-most
   * {@code X-Forwarded-For} entry that is not itself a trusted proxy.
   */
  public String clientAddress(String peer, List<String> forwardedFor) {
    if (!trusts(peer) || forwardedFor.isEmpty()) {
      return peer;
    }
    List<String> hops = new ArrayList<>();
    for (String header : forwardedFor) {
      for (String hop : header.split(",")) {
        if (!hop.isBlank()) {
          hops.add(hop.strip());
        }
      }
    }
    for (int i = hops.size() - 1; i >= 0; i--) {
      String hop = hops.get(i);
      if (literalAddress(hop) == null) {
        return peer; // a garbled chain is not believed
      }
      if (!trusts(hop)) {
        return hop;
      }
    }
    return hops.isEmpty() ? peer : hops.get(0);
  }

  /** The bytes of a literal IPv4 or IPv6 address; null for anything else (never a DNS lookup). */
  static byte[] literalAddress(String text) {
    String address = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
    boolean ipv4 = address.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    boolean ipv6 = address.contains(":") && address.matches("[0-9A-Fa-f:.%a-zA-Z0-9]+");
    if (!ipv4 && !ipv6) {
      return null;
    }
    try {
      return InetAddress.getByName(address).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }

  @Override
  public String toString() {
    return text;
  }
}
