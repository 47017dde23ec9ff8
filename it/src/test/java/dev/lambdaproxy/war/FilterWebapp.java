package dev.lambdaproxy.war;

import dev.lambdaproxy.filterapp.EchoAppServlet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * An existing web application that adopts the library, assembled as an exploded WAR the way its
 * developers would: its own servlet ({@link EchoAppServlet}) on {@code /}, {@code
 * LambdaRoutingFilter} on {@code /api/*}, and in {@code WEB-INF/lib} the library jar, the
 * library's runtime dependencies ({@code servlet/target/lib}) and an SLF4J binding of the app's
 * choosing. No servlet API: the container provides it.
 */
final class FilterWebapp {

  /** The filter's name in web.xml. */
  static final String FILTER_NAME = "lambda-routing";

  private FilterWebapp() {}

  /**
   * Writes the webapp into {@code dir}.
   *
   * @param onMiss the filter's {@code on-miss} init-param
   * @param confDir the filter's {@code conf} init-param
   * @return {@code dir}
   */
  static Path assemble(Path dir, String onMiss, Path confDir) throws IOException {
    Path webInf = Files.createDirectories(dir.resolve("WEB-INF"));
    Files.writeString(webInf.resolve("web.xml"), webXml(onMiss, confDir));
    copyAppClasses(Files.createDirectories(webInf.resolve("classes")));
    Path lib = Files.createDirectories(webInf.resolve("lib"));
    copy(List.of(existing("lambda-proxy.servlet-jar", false)), lib);
    copy(jarsIn(existing("lambda-proxy.servlet-lib", true)), lib);
    copy(jarsIn(existing("lambda-proxy.filter-app-lib", true)), lib);
    try (Stream<Path> jars = Files.list(lib)) {
      if (jars.anyMatch(jar -> jar.getFileName().toString().startsWith("jakarta.servlet-api"))) {
        throw new IllegalStateException(lib + " holds the servlet API, which only the container may provide");
      }
    }
    return dir;
  }

  private static String webXml(String onMiss, Path confDir) {
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee"
                 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                 xsi:schemaLocation="https://jakarta.ee/xml/ns/jakartaee https://jakarta.ee/xml/ns/jakartaee/web-app_6_0.xsd"
                 version="6.0">
          <display-name>an existing app</display-name>

          <servlet>
            <servlet-name>app</servlet-name>
            <servlet-class>%s</servlet-class>
            <async-supported>true</async-supported>
          </servlet>
          <servlet-mapping>
            <servlet-name>app</servlet-name>
            <url-pattern>/</url-pattern>
          </servlet-mapping>

          <filter>
            <filter-name>%s</filter-name>
            <filter-class>dev.lambdaproxy.servlet.LambdaRoutingFilter</filter-class>
            <async-supported>true</async-supported>
            <init-param>
              <param-name>on-miss</param-name>
              <param-value>%s</param-value>
            </init-param>
            <init-param>
              <param-name>conf</param-name>
              <param-value>%s</param-value>
            </init-param>
          </filter>
          <filter-mapping>
            <filter-name>%s</filter-name>
            <url-pattern>/api/*</url-pattern>
          </filter-mapping>
        </web-app>
        """.formatted(EchoAppServlet.class.getName(), FILTER_NAME, onMiss, confDir.toAbsolutePath(), FILTER_NAME);
  }

  /** The app's package, as compiled into this module's test classes. */
  private static void copyAppClasses(Path classes) throws IOException {
    Path testClasses;
    try {
      testClasses = Path.of(EchoAppServlet.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    String packageDir = EchoAppServlet.class.getPackageName().replace('.', '/');
    Path from = testClasses.resolve(packageDir);
    Path to = Files.createDirectories(classes.resolve(packageDir));
    try (Stream<Path> files = Files.list(from)) {
      copy(files.filter(file -> file.toString().endsWith(".class")).toList(), to);
    }
  }

  private static Path existing(String property, boolean folder) {
    String value = System.getProperty(property);
    if (value == null) {
      throw new IllegalStateException("system property " + property + " is not set: run this test with Maven (it/pom.xml sets it)");
    }
    Path path = Path.of(value).toAbsolutePath().normalize();
    if (folder ? !Files.isDirectory(path) : !Files.isRegularFile(path)) {
      throw new IllegalStateException(path + " (" + property + ") not found: run `mvn -B install -DskipTests` first");
    }
    return path;
  }

  private static List<Path> jarsIn(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      List<Path> jars = files.filter(file -> file.toString().endsWith(".jar")).sorted().toList();
      if (jars.isEmpty()) {
        throw new IllegalStateException(folder + " holds no jar");
      }
      return jars;
    }
  }

  private static void copy(List<Path> files, Path into) {
    for (Path file : files) {
      try {
        Files.copy(file, into.resolve(file.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
