package dev.lambdaproxy.eventloop;

import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.InetSocketAddressResolver;
import io.netty.resolver.SimpleNameResolver;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * Looks endpoint names up off the event loops: the JDK's lookup blocks (Netty's default resolver
 * runs it on the loop), and one slow DNS answer must not stall every call of a loop. Addresses
 * given as literals are taken at once; the JDK's own cache still spares most lookups.
 */
final class UpstreamResolver extends AddressResolverGroup<InetSocketAddress> {

  private final ExecutorService lookups;

  UpstreamResolver(ExecutorService lookups) {
    this.lookups = lookups;
  }

  @Override
  protected AddressResolver<InetSocketAddress> newResolver(EventExecutor loop) {
    return new InetSocketAddressResolver(loop, new SimpleNameResolver<InetAddress>(loop) {
      @Override
      protected void doResolve(String host, Promise<InetAddress> promise) {
        lookUp(host, promise, () -> InetAddress.getByName(host));
      }

      @Override
      protected void doResolveAll(String host, Promise<List<InetAddress>> promise) {
        lookUp(host, promise, () -> Arrays.asList(InetAddress.getAllByName(host)));
      }
    });
  }

  private interface Lookup<T> {
    T run() throws UnknownHostException;
  }

  private <T> void lookUp(String host, Promise<T> promise, Lookup<T> lookup) {
    if (NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host)) {
      complete(promise, lookup); // a literal: nothing to ask a DNS server
      return;
    }
    try {
      lookups.execute(() -> complete(promise, lookup));
    } catch (RejectedExecutionException e) {
      promise.tryFailure(e);
    }
  }

  private static <T> void complete(Promise<T> promise, Lookup<T> lookup) {
    try {
      promise.trySuccess(lookup.run());
    } catch (UnknownHostException | RuntimeException e) {
      promise.tryFailure(e);
    }
  }
}
