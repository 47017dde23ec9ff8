package dev.lambdaproxy.war;

/** The routing filter in an existing webapp in an embedded Jetty 12 (ee10 {@code WebAppContext}). */
class FilterInJettyIT extends FilterInWebappContract {

  FilterInJettyIT() {
    super(Container.JETTY);
  }
}
