package dev.lambdaproxy.route;

/** What answers a route: a Lambda function invoked through the Invoke API, or a function's own HTTP endpoint. */
public sealed interface RouteTarget permits FunctionTarget, HttpEndpoint {

  /** The target as an operator would name it in a message or log line; never a secret. */
  String display();
}
