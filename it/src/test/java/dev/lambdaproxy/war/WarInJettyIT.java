package dev.lambdaproxy.war;

/** The built WAR in an embedded Jetty 12 (ee10 {@code WebAppContext}), as if dropped into {@code webapps/}. */
class WarInJettyIT extends DeployedWarContract {

  WarInJettyIT() {
    super(Container.JETTY);
  }
}
