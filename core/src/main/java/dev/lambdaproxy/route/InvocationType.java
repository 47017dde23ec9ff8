package dev.lambdaproxy.route;

import java.util.Locale;

/** Lambda's invocation types, as the {@code X-Amz-Invocation-Type} header names them. */
public enum InvocationType {
  REQUEST_RESPONSE("RequestResponse"),
  EVENT("Event"),
  DRY_RUN("DryRun");

  private final String headerValue;

  InvocationType(String headerValue) {
    this.headerValue = headerValue;
  }

  public String headerValue() {
    return headerValue;
  }

  /** @throws IllegalArgumentException listing the valid names */
  public static InvocationType parse(String text) {
    for (InvocationType type : values()) {
      if (type.headerValue.toLowerCase(Locale.ROOT).equals(text.strip().toLowerCase(Locale.ROOT))) {
        return type;
      }
    }
    throw new IllegalArgumentException("'" + text + "' is not RequestResponse, Event or DryRun");
  }
}
