package dev.lambdaproxy.importer.api;

import dev.lambdaproxy.importer.source.Location;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an operation is integrated with, as {@code x-amazon-apigateway-integration} (or a
 * CloudFormation {@code Integration}) says it.
 *
 * @param type {@code AWS_PROXY}, {@code HTTP_PROXY}, {@code AWS}, {@code HTTP} or {@code MOCK}
 * @param uri the integration URI with intrinsics resolved ({@code ${ENV}} placeholders where they could not be), or null
 * @param httpMethod the method the integration calls with, upper-case, or null
 * @param payloadFormatVersion {@code 1.0} or {@code 2.0} (HTTP APIs), or null
 * @param timeoutMs {@code timeoutInMillis}, or null
 * @param subtype {@code integrationSubtype} (an AWS service integration of an HTTP API), or null
 * @param vpcLink whether it goes through a VPC link
 * @param pathParameters for an HTTP integration: the URI's {@code {name}} to the route's path variable it takes ({@code integration.request.path.X})
 * @param corsHeaders for a mock: the {@code Access-Control-*} headers its answer sets, values unquoted
 * @param credentials the IAM role API Gateway invokes with, or null
 * @param leftovers what it says that the proxy does not do (mapping templates, parameter mappings...)
 * @param location where it is
 */
public record Integration(
    String type,
    String uri,
    String httpMethod,
    String payloadFormatVersion,
    Integer timeoutMs,
    String subtype,
    boolean vpcLink,
    Map<String, String> pathParameters,
    Map<String, String> corsHeaders,
    String credentials,
    List<Finding> leftovers,
    Location location) {

  public Integration {
    Objects.requireNonNull(type, "type");
    pathParameters = Map.copyOf(pathParameters);
    corsHeaders = Map.copyOf(corsHeaders);
    leftovers = List.copyOf(leftovers);
    Objects.requireNonNull(location, "location");
  }

  /** The same integration with another timeout (a SAM event's {@code TimeoutInMillis}). */
  public Integration withTimeout(Integer timeout) {
    return new Integration(type, uri, httpMethod, payloadFormatVersion, timeout, subtype, vpcLink, pathParameters, corsHeaders,
        credentials, leftovers, location);
  }

  /** The same integration with another payload format version (a SAM event's {@code PayloadFormatVersion}). */
  public Integration withPayloadFormatVersion(String version) {
    return new Integration(type, uri, httpMethod, version, timeoutMs, subtype, vpcLink, pathParameters, corsHeaders,
        credentials, leftovers, location);
  }
}
