package dev.lambdaproxy.runtime;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The folder holding {@code routes.properties} and {@code lambda-proxy.properties}: a directory, or
 * one inside a deployment the front end reads for it ({@code WEB-INF/conf} in a WAR).
 */
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
}
