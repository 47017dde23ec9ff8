package dev.lambdaproxy.importer.conf;

import java.util.List;

/**
 * What an import writes.
 *
 * @param routes the text of routes.properties
 * @param settings the text of lambda-proxy.properties
 * @param routeLines how many routes routes.properties has
 * @param routeTexts the route lines alone, as written (for tests and the report)
 */
public record Conf(String routes, String settings, int routeLines, List<String> routeTexts) {

  public Conf {
    routeTexts = List.copyOf(routeTexts);
  }
}
