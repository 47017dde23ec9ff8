package dev.lambdaproxy.servlet;

import dev.lambdaproxy.runtime.ConfSource;
import jakarta.servlet.ServletContext;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;

/** The conf folder packed inside a WAR, read through the container (the WAR need not be unpacked). */
final class WebInfConf implements ConfSource {

  static final String FOLDER = "/WEB-INF/conf/";

  private final ServletContext context;

  WebInfConf(ServletContext context) {
    this.context = context;
  }

  @Override
  public Reader open(String fileName) {
    InputStream in = context.getResourceAsStream(FOLDER + fileName);
    return in == null ? null : new InputStreamReader(in, StandardCharsets.UTF_8);
  }

  @Override
  public String describe() {
    return "WEB-INF/conf";
  }
}
