package dev.lambdaproxy.invoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.lambdaproxy.config.Settings;
import dev.lambdaproxy.route.FunctionRef;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InvokeTargetTest {

  private static Settings settings(String file) throws IOException {
    return Settings.load(new StringReader(file), Map.of());
  }

  @Test
  void aPlainNameGoesToTheConfiguredRegionsEndpoint() throws IOException {
    InvokeTarget target = InvokeTarget.of(FunctionRef.parse("hello"), settings("region = eu-central-1\n"));
    assertEquals(URI.create("https://lambda.eu-central-1.amazonaws.com/2015-03-31/functions/hello/invocations"), target.uri());
    assertEquals("lambda.eu-central-1.amazonaws.com", target.hostHeader());
    assertEquals("eu-central-1", target.signingRegion());
    assertNull(target.rawQuery());
  }

  @Test
  void aFullArnsRegionWinsForEndpointAndSignature() throws IOException {
    InvokeTarget target = InvokeTarget.of(
        FunctionRef.parse("arn:aws:lambda:ap-southeast-2:123456789012:function:report:live"), settings("region = us-east-1\n"));
    assertEquals("/2015-03-31/functions/arn%3Aaws%3Alambda%3Aap-southeast-2%3A123456789012%3Afunction%3Areport/invocations",
        target.encodedPath());
    assertEquals("Qualifier=live", target.rawQuery());
    assertEquals("lambda.ap-southeast-2.amazonaws.com", target.hostHeader());
    assertEquals("ap-southeast-2", target.signingRegion());
  }

  @Test
  void aChinaArnGoesToTheChinaEndpoint() throws IOException {
    InvokeTarget target = InvokeTarget.of(FunctionRef.parse("arn:aws-cn:lambda:cn-north-1:123456789012:function:f"), settings(""));
    assertEquals("lambda.cn-north-1.amazonaws.com.cn", target.hostHeader());
  }

  @Test
  void aConfiguredEndpointKeepsItsPortAndPathAndTheArnStillSigns() throws IOException {
    InvokeTarget target = InvokeTarget.of(FunctionRef.parse("arn:aws:lambda:eu-west-1:123456789012:function:f"),
        settings("region = us-east-1\nendpoint = http://127.0.0.1:4566/lambda/\n"));
    assertEquals(URI.create("http://127.0.0.1:4566/lambda/2015-03-31/functions/arn%3Aaws%3Alambda%3Aeu-west-1%3A123456789012%3Afunction%3Af/invocations"),
        target.uri());
    assertEquals("127.0.0.1:4566", target.hostHeader());
    assertEquals("eu-west-1", target.signingRegion());
  }

  @Test
  void theDefaultPortIsLeftOutOfTheHostHeaderAsJettySendsIt() {
    assertEquals("example.com", InvokeTarget.hostHeader(URI.create("https://example.com:443")));
    assertEquals("example.com", InvokeTarget.hostHeader(URI.create("http://example.com:80")));
    assertEquals("example.com:8443", InvokeTarget.hostHeader(URI.create("https://example.com:8443")));
  }

  @Test
  void segmentsAreEncodedBeyondUnreserved() {
    assertEquals("a%3Ab-c_d.e~f%24LATEST%20%2F", InvokeTarget.encodeSegment("a:b-c_d.e~f$LATEST /"));
  }
}
