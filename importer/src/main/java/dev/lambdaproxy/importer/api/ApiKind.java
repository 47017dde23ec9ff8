package dev.lambdaproxy.importer.api;

/** The two kinds of API Gateway API that put Lambda functions behind HTTP. */
public enum ApiKind {
  /** A REST API (API Gateway v1): Lambda proxy events in payload format 1.0. */
  REST,
  /** An HTTP API (API Gateway v2): payload format 1.0 or 2.0 per integration. */
  HTTP
}
