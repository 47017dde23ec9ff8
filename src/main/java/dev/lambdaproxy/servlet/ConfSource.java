package dev.lambdaproxy.servlet;

import jakarta.servlet.ServletContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** The folder holding {@code routes.properties} and {@code lambda-proxy.properties}: a directory, or {@code WEB-INF/conf} in a WAR. */
public interface ConfSource {

  /** Opens a file of the folder as UTF-8, or returns null when it does not exist. */
  Reader open(String fileName) throws IOException;

  /** Where the folder is, for messages. */
  String describe();

  /** The folder on disk, which can be watched for changes; null when it is inside a WAR. */
  default Path directory() {
    return null;
  }

  static ConfSource directory(Path dir) {
    return new ConfSource() {
      @Override
      public Reader open(String fileName) throws IOException {
        try {
          return Files.newBufferedReader(dir.resolve(fileName), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
          return null;
        }
      }

      @Override
      public String describe() {
        return dir.toAbsolutePath().normalize().toString();
      }

      @Override
      public Path directory() {
        return dir;
      }
    };
  }

  /** The conf folder packed inside a WAR, read through the container (the WAR need not be unpacked). */
  static ConfSource webInf(ServletContext context) {
    return new ConfSource() {
      @Override
      public Reader open(String fileName) {
        InputStream in = context.getResourceAsStream("/WEB-INF/conf/" + fileName);
        return in == null ? null : new InputStreamReader(in, StandardCharsets.UTF_8);
      }

      @Override
      public String describe() {
        return "WEB-INF/conf";
      }
    };
  }
}
