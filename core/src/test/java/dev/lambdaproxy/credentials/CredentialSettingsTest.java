package dev.lambdaproxy.credentials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CredentialSettingsTest {

  static Stream<Arguments> accepted() {
    return Stream.of(
        Arguments.of("profile", (UnaryOperator<String>) CredentialSettings::profile, " prod-eu_1 ", "prod-eu_1"),
        Arguments.of("profile with sso-style name", (UnaryOperator<String>) CredentialSettings::profile, "team/dev@acme", "team/dev@acme"),
        Arguments.of("role", (UnaryOperator<String>) CredentialSettings::roleArn,
            "arn:aws:iam::123456789012:role/proxy", "arn:aws:iam::123456789012:role/proxy"),
        Arguments.of("role with a path", (UnaryOperator<String>) CredentialSettings::roleArn,
            "arn:aws:iam::123456789012:role/service/edge+proxy=1", "arn:aws:iam::123456789012:role/service/edge+proxy=1"),
        Arguments.of("role in China", (UnaryOperator<String>) CredentialSettings::roleArn,
            "arn:aws-cn:iam::123456789012:role/proxy", "arn:aws-cn:iam::123456789012:role/proxy"),
        Arguments.of("external id", (UnaryOperator<String>) CredentialSettings::externalId, "partner:42/a", "partner:42/a"),
        Arguments.of("session name", (UnaryOperator<String>) CredentialSettings::roleSessionName, "edge.proxy@eu-1", "edge.proxy@eu-1"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("accepted")
  void acceptsAndStrips(String what, UnaryOperator<String> parser, String value, String parsed) {
    assertEquals(parsed, parser.apply(value));
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        Arguments.of("profile with a space", (UnaryOperator<String>) CredentialSettings::profile, "my profile",
            "'my profile' is not a profile name (letters, digits and _.@+:/=,- only)"),
        Arguments.of("profile in brackets", (UnaryOperator<String>) CredentialSettings::profile, "[prod]",
            "'[prod]' is not a profile name (letters, digits and _.@+:/=,- only)"),
        Arguments.of("user instead of role", (UnaryOperator<String>) CredentialSettings::roleArn, "arn:aws:iam::123456789012:user/bob",
            "'arn:aws:iam::123456789012:user/bob' is not an IAM role ARN such as arn:aws:iam::123456789012:role/name"),
        Arguments.of("role name only", (UnaryOperator<String>) CredentialSettings::roleArn, "proxy",
            "'proxy' is not an IAM role ARN such as arn:aws:iam::123456789012:role/name"),
        Arguments.of("short account", (UnaryOperator<String>) CredentialSettings::roleArn, "arn:aws:iam::1234:role/proxy",
            "'arn:aws:iam::1234:role/proxy' is not an IAM role ARN such as arn:aws:iam::123456789012:role/name"),
        Arguments.of("one-character external id", (UnaryOperator<String>) CredentialSettings::externalId, "x",
            "an external id is 2 to 1224 letters, digits and _+=,.@:/- characters"),
        Arguments.of("session name with a space", (UnaryOperator<String>) CredentialSettings::roleSessionName, "edge proxy",
            "'edge proxy' is not a role session name (2 to 64 letters, digits and _+=,.@- characters)"),
        Arguments.of("session name too long", (UnaryOperator<String>) CredentialSettings::roleSessionName, "s".repeat(65),
            "'" + "s".repeat(65) + "' is not a role session name (2 to 64 letters, digits and _+=,.@- characters)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void refusesSayingWhatIsWrong(String what, UnaryOperator<String> parser, String value, String message) {
    assertEquals(message, assertThrows(IllegalArgumentException.class, () -> parser.apply(value)).getMessage());
  }

  @Test
  void anExternalIdNeedsARole() {
    assertEquals("external-id needs role-arn: it is sent when assuming that role",
        assertThrows(IllegalArgumentException.class, () -> new CredentialSettings(null, null, "partner-42", null, null)).getMessage());
  }

  @Test
  void noneSetsNothingAndTheSessionNameDefaults() {
    CredentialSettings none = CredentialSettings.none();
    assertNull(none.profile());
    assertNull(none.roleArn());
    assertEquals("lambda-proxy", none.sessionName());
    assertEquals("eu-west-1", none.withRegion(" eu-west-1 ").region());
    assertNull(none.withRegion(" ").region());
  }

  @Test
  void toStringHidesTheExternalId() {
    String text = new CredentialSettings("prod", "arn:aws:iam::123456789012:role/proxy", "partner-secret-42", "edge", null).toString();
    assertEquals("CredentialSettings[profile=prod, roleArn=arn:aws:iam::123456789012:role/proxy, externalId=***,"
        + " roleSessionName=edge, region=null]", text);
    assertFalse(text.contains("partner-secret-42"));
  }
}
