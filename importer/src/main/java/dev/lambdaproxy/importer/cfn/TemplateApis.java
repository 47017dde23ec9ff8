package dev.lambdaproxy.importer.cfn;

import dev.lambdaproxy.importer.api.ApiDef;
import dev.lambdaproxy.importer.api.ApiKeyDef;
import dev.lambdaproxy.importer.api.UsagePlanDef;
import java.util.ArrayList;
import java.util.List;

/** What a template holds for the proxy: its APIs, usage plans and API keys. */
public record TemplateApis(List<ApiDef> apis, List<UsagePlanDef> plans, List<ApiKeyDef> keys) {

  public static TemplateApis empty() {
    return new TemplateApis(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
  }
}
