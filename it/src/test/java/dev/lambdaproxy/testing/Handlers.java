package dev.lambdaproxy.testing;

/** Ready-made fake functions. */
public final class Handlers {

  private Handlers() {}

  /** Returns the received payload as the function result, byte for byte ({@code null} when empty). */
  public static LambdaHandler echo() {
    return invocation -> invocation.payload().length == 0
        ? LambdaReply.json("null")
        : LambdaReply.bytes(invocation.payload());
  }

  /** Always returns {@code rawJson}. */
  public static LambdaHandler returning(String rawJson) {
    LambdaReply reply = LambdaReply.json(rawJson);
    return invocation -> reply;
  }

  /** Always answers {@code reply}. */
  public static LambdaHandler replying(LambdaReply reply) {
    return invocation -> reply;
  }
}
