package dev.lambdaproxy.war;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.scan.StandardJarScanner;

/** The built WAR in an embedded Tomcat 10.1, as if dropped into {@code webapps/lambda-proxy.war}. */
class WarInTomcatIT extends DeployedWarContract {

  @Override
  DeployedWar deploy(Path warFile, Path confDir, Path workDir) throws Exception {
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(workDir.toString());
    // The WAR is unpacked into the host's appBase, which must exist.
    Files.createDirectories(workDir.resolve("webapps"));
    Connector connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    tomcat.setConnector(connector);
    // No conf/web.xml defaults: its JSP servlet is not on this classpath, and the WAR needs neither it nor DefaultServlet.
    tomcat.setAddDefaultWebXmlToWebapp(false);

    StandardContext context = (StandardContext) tomcat.addWebapp(CONTEXT_PATH, warFile.toString());
    context.addParameter(CONF_PARAM, confDir.toString());
    // What Tomcat's common loader holds: the servlet API and Tomcat; the product and its libraries come from the WAR alone.
    context.setParentClassLoader(containerOnly(
        "jakarta.", "org.apache.catalina.", "org.apache.coyote.", "org.apache.juli.", "org.apache.naming.", "org.apache.tomcat."));
    // Only the WAR's jars are the webapp's; the test classpath has no TLDs or fragments for it.
    StandardJarScanner jarScanner = new StandardJarScanner();
    jarScanner.setScanClassPath(false);
    jarScanner.setScanManifest(false);
    context.setJarScanner(jarScanner);
    // These leak checks need --add-opens to work and only warn without it; the thread-leak check stays on.
    context.setClearReferencesObjectStreamClassCaches(false);
    context.setClearReferencesRmiTargets(false);
    context.setClearReferencesThreadLocals(false);

    try {
      tomcat.start();
      if (context.getState() != LifecycleState.STARTED) {
        throw new IllegalStateException("context " + CONTEXT_PATH + " did not start (" + context.getState() + "); see the log above");
      }
    } catch (Exception | Error e) {
      shutDown(tomcat);
      throw e;
    }
    URI root = URI.create("http://127.0.0.1:" + connector.getLocalPort());
    return new DeployedWar() {
      @Override
      public URI serverRoot() {
        return root;
      }

      @Override
      public ClassLoader webappClassLoader() {
        return context.getLoader().getClassLoader();
      }

      @Override
      public Object proxyServlet() {
        return ((Wrapper) context.findChild("lambda-proxy")).getServlet();
      }

      @Override
      public void stop() throws Exception {
        shutDown(tomcat);
      }
    };
  }

  private static void shutDown(Tomcat tomcat) throws Exception {
    tomcat.stop();
    tomcat.destroy();
  }
}
