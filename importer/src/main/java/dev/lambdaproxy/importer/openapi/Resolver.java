package dev.lambdaproxy.importer.openapi;

import dev.lambdaproxy.importer.source.Src;
import java.util.ArrayList;
import java.util.List;

/**
 * Gives the values of a definition: in a template, CloudFormation's intrinsics resolved as far as
 * the template allows ({@code ${ENV}} placeholders for the rest); in an export, API Gateway's
 * import variables ({@code ${AWS::Region}}...).
 */
public interface Resolver {

  /** The value, resolved; reported where the written value is. */
  Src resolve(Src value);

  /** A resolved scalar's text, or null. */
  default String text(Src value) {
    return resolve(value).text();
  }

  /** The texts of a resolved list, or of a comma-separated string; scalars only. */
  default List<String> texts(Src value) {
    Src resolved = resolve(value);
    List<String> texts = new ArrayList<>();
    if (resolved.isArray()) {
      for (Src element : resolved.elements()) {
        String text = text(element);
        if (text != null) {
          texts.add(text.strip());
        }
      }
    } else if (resolved.text() != null) {
      for (String part : resolved.text().split(",")) {
        if (!part.isBlank()) {
          texts.add(part.strip());
        }
      }
    }
    return texts;
  }
}
