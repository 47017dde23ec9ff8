package dev.lambdaproxy.war;

/** The built WAR in an embedded Tomcat 10.1, as if dropped into {@code webapps/lambda-proxy.war}. */
class WarInTomcatIT extends DeployedWarContract {

  WarInTomcatIT() {
    super(Container.TOMCAT);
  }
}
