package dev.lambdaproxy.war;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jetty.ee.webapp.WebAppClassLoader;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** The built WAR in an embedded Jetty 12 (ee10 {@link WebAppContext}), as if dropped into {@code webapps/}. */
class WarInJettyIT extends DeployedWarContract {

  @Override
  DeployedWar deploy(Path warFile, Path confDir, Path workDir) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);

    WebAppContext webapp = new WebAppContext();
    webapp.setContextPath(CONTEXT_PATH);
    webapp.setWar(warFile.toString());
    webapp.setTempDirectory(Files.createDirectories(workDir.resolve("tmp")).toFile());
    webapp.setInitParameter(CONF_PARAM, confDir.toString());
    // Jetty needs no help here: it hides org.eclipse.jetty. from webapps, and the WAR brings its own
    // jetty-client and jetty-ee10-proxy in WEB-INF/lib. The parent is narrowed to the JDK, the servlet
    // API and Jetty so that nothing else on the test classpath can stand in for a class the WAR lacks.
    webapp.setClassLoader(new WebAppClassLoader(containerOnly("jakarta.", "org.eclipse.jetty."), webapp));
    // A listener that fails must fail the start here, not leave a context answering 503.
    webapp.setThrowUnavailableOnStartupException(true);
    server.setHandler(webapp);

    try {
      server.start();
    } catch (Exception | Error e) {
      server.stop();
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
        return webapp.getClassLoader();
      }

      @Override
      public Object proxyServlet() {
        return webapp.getServletHandler().getServlet("lambda-proxy").getServletInstance();
      }

      @Override
      public void stop() throws Exception {
        server.stop();
      }
    };
  }
}
