package dev.lambdaproxy.importer;

import dev.lambdaproxy.importer.api.Report;
import dev.lambdaproxy.importer.conf.Conf;
import java.util.List;

/**
 * What an import made: both files' text, what it could not carry, and a line per input saying what it was.
 */
public record ImportResult(Conf conf, Report report, List<String> summaries) {

  public ImportResult {
    summaries = List.copyOf(summaries);
  }
}
