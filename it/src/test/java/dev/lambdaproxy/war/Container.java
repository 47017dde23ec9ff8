package dev.lambdaproxy.war;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.scan.StandardJarScanner;
import org.eclipse.jetty.ee.webapp.WebAppClassLoader;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A real servlet container, embedded: a webapp (a WAR file or an exploded folder) deployed as if
 * dropped into its {@code webapps/}, on an ephemeral loopback port, seeing only the JDK and the
 * container's own packages besides its {@code WEB-INF}.
 */
public enum Container {

  /** Tomcat 10.1. */
  TOMCAT {
    @Override
    Webapp start(Path webapp, String contextPath, Map<String, String> contextParams, Path workDir) throws Exception {
      Tomcat tomcat = new Tomcat();
      tomcat.setBaseDir(workDir.toString());
      // The WAR is unpacked into the host's appBase, which must exist.
      Files.createDirectories(workDir.resolve("webapps"));
      Connector connector = new Connector();
      connector.setPort(0);
      connector.setProperty("address", "127.0.0.1");
      tomcat.setConnector(connector);
      // No conf/web.xml defaults: its JSP servlet is not on this classpath, and no webapp here needs it or DefaultServlet.
      tomcat.setAddDefaultWebXmlToWebapp(false);

      StandardContext context = (StandardContext) tomcat.addWebapp(contextPath, webapp.toString());
      contextParams.forEach(context::addParameter);
      // What Tomcat's common loader holds: the servlet API and Tomcat; the product and its libraries come from the webapp alone.
      context.setParentClassLoader(containerOnly(
          "jakarta.", "org.apache.catalina.", "org.apache.coyote.", "org.apache.juli.", "org.apache.naming.", "org.apache.tomcat."));
      // Only the webapp's jars are its own; the test classpath has no TLDs or fragments for it.
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
          throw new IllegalStateException("context " + contextPath + " did not start (" + context.getState() + "); see the log above");
        }
      } catch (Exception | Error e) {
        shutDown(tomcat);
        throw e;
      }
      URI root = URI.create("http://127.0.0.1:" + connector.getLocalPort());
      return new Webapp() {
        @Override
        public URI serverRoot() {
          return root;
        }

        @Override
        public ClassLoader classLoader() {
          return context.getLoader().getClassLoader();
        }

        @Override
        public Object servlet(String name) {
          return ((Wrapper) context.findChild(name)).getServlet();
        }

        @Override
        public void close() throws Exception {
          shutDown(tomcat);
        }
      };
    }

    private static void shutDown(Tomcat tomcat) throws Exception {
      tomcat.stop();
      tomcat.destroy();
    }
  },

  /** Jetty 12, ee10 {@link WebAppContext}. */
  JETTY {
    @Override
    Webapp start(Path webapp, String contextPath, Map<String, String> contextParams, Path workDir) throws Exception {
      Server server = new Server();
      ServerConnector connector = new ServerConnector(server);
      connector.setHost("127.0.0.1");
      connector.setPort(0);
      server.addConnector(connector);

      WebAppContext context = new WebAppContext();
      context.setContextPath(contextPath);
      context.setWar(webapp.toString());
      context.setTempDirectory(Files.createDirectories(workDir.resolve("tmp")).toFile());
      contextParams.forEach(context::setInitParameter);
      // Jetty needs no help here: it hides org.eclipse.jetty. from webapps, and the webapp brings its own
      // jetty-client and jetty-ee10-proxy in WEB-INF/lib. The parent is narrowed to the JDK, the servlet
      // API and Jetty so that nothing else on the test classpath can stand in for a class the webapp lacks.
      context.setClassLoader(new WebAppClassLoader(containerOnly("jakarta.", "org.eclipse.jetty."), context));
      // A listener or filter that fails must fail the start here, not leave a context answering 503.
      context.setThrowUnavailableOnStartupException(true);
      server.setHandler(context);

      try {
        server.start();
      } catch (Exception | Error e) {
        server.stop();
        throw e;
      }
      URI root = URI.create("http://127.0.0.1:" + connector.getLocalPort());
      return new Webapp() {
        @Override
        public URI serverRoot() {
          return root;
        }

        @Override
        public ClassLoader classLoader() {
          return context.getClassLoader();
        }

        @Override
        public Object servlet(String name) {
          return context.getServletHandler().getServlet(name).getServletInstance();
        }

        @Override
        public void close() throws Exception {
          server.stop();
        }
      };
    }
  };

  /** A webapp running in its container. */
  public interface Webapp extends AutoCloseable {
    /** {@code http://127.0.0.1:PORT}, the root of the server (not of the context). */
    URI serverRoot();

    /** The class loader the container made for the webapp. */
    ClassLoader classLoader();

    /** The instance of the servlet registered as {@code name}. */
    Object servlet(String name);

    /** Stops the container. */
    @Override
    void close() throws Exception;
  }

  /**
   * Deploys {@code webapp} at {@code contextPath} with {@code contextParams}, starts the container
   * on 127.0.0.1:0, and fails unless the context started.
   *
   * @param workDir an empty folder for the container's own files
   */
  public Webapp deploy(Path webapp, String contextPath, Map<String, String> contextParams, Path workDir) throws Exception {
    // The webapp's own SLF4J binds while the container starts it; the slf4j.provider that the pom
    // sets for the test classpath names a provider the webapp rightly lacks.
    String slf4jProvider = System.clearProperty("slf4j.provider");
    try {
      return start(webapp.toAbsolutePath(), contextPath, contextParams, Files.createDirectories(workDir));
    } finally {
      if (slf4jProvider != null) {
        System.setProperty("slf4j.provider", slf4jProvider);
      }
    }
  }

  abstract Webapp start(Path webapp, String contextPath, Map<String, String> contextParams, Path workDir) throws Exception;

  /**
   * The parent a real container gives a webapp: the JDK and the container's own packages, nothing
   * else. Without it the test classpath (target/classes, Jackson, jetty-client...) would stand in
   * for any class the webapp lacks, and a broken webapp would pass.
   */
  static ClassLoader containerOnly(String... packagePrefixes) {
    return new ContainerOnlyClassLoader(Container.class.getClassLoader(), List.of(packagePrefixes));
  }

  private static final class ContainerOnlyClassLoader extends ClassLoader {
    private final ClassLoader container;
    private final List<String> packagePrefixes;
    private final List<String> resourcePrefixes;

    ContainerOnlyClassLoader(ClassLoader container, List<String> packagePrefixes) {
      super("container-only", ClassLoader.getPlatformClassLoader());
      this.container = container;
      this.packagePrefixes = packagePrefixes;
      this.resourcePrefixes = packagePrefixes.stream().map(prefix -> prefix.replace('.', '/')).toList();
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
      if (packagePrefixes.stream().anyMatch(name::startsWith)) {
        return container.loadClass(name);
      }
      throw new ClassNotFoundException(name + " is neither in the JDK nor in the container");
    }

    @Override
    protected URL findResource(String name) {
      return isContainerResource(name) ? container.getResource(name) : null;
    }

    @Override
    protected Enumeration<URL> findResources(String name) throws IOException {
      return isContainerResource(name) ? container.getResources(name) : Collections.emptyEnumeration();
    }

    private boolean isContainerResource(String name) {
      return resourcePrefixes.stream().anyMatch(name::startsWith);
    }
  }
}
