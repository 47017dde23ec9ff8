package dev.lambdaproxy.war;

/** The routing filter in an existing webapp in an embedded Tomcat 10.1. */
class FilterInTomcatIT extends FilterInWebappContract {

  FilterInTomcatIT() {
    super(Container.TOMCAT);
  }
}
