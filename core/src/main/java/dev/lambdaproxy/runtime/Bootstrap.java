package dev.lambdaproxy.runtime;

import dev.lambdaproxy.config.ConfigValues;
import dev.lambdaproxy.config.Settings;
import dev.lambdaproxy.credentials.CredentialsProvider;
import dev.lambdaproxy.credentials.CredentialsProviders;
import dev.lambdaproxy.credentials.CredentialsUnavailableException;
import dev.lambdaproxy.route.ConfigWatcher;
import dev.lambdaproxy.route.RouteTable;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one start-up of every front end (the jar, the WAR, the filter library) and of the tests:
 * settings, then the credential chain they choose, then the configuration signed with it, then
 * the reload that repeats the same steps. Closing it stops the watcher and the credential renewal.
 */
public final class Bootstrap implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Bootstrap.class);

  private final ConfSource conf;
  private final ConfigValues values;
  private final CredentialsProviders ownedCredentials;
  private final LiveConfig live;
  private ConfigWatcher watcher;

  private Bootstrap(ConfSource conf, ConfigValues values, CredentialsProviders ownedCredentials, LiveConfig live) {
    this.conf = conf;
    this.values = values;
    this.ownedCredentials = ownedCredentials;
    this.live = live;
  }

  public static Builder from(ConfSource conf) {
    return new Builder(conf);
  }

  /** The settings as loaded at start: file, environment and command line merged. */
  public ConfigValues values() {
    return values;
  }

  public LiveConfig live() {
    return live;
  }

  public ConfSource conf() {
    return conf;
  }

  /** Reloads on every change to the conf folder's files, when the folder is on disk; says so when it cannot watch. */
  public Bootstrap watch(String otherwise) {
    if (conf.directory() != null && watcher == null) {
      try {
        watcher = ConfigWatcher.start(conf.directory(), Set.of(RouteTable.FILE_NAME, Settings.FILE_NAME), live::reload);
      } catch (IOException e) {
        LOG.warn("cannot watch {} for changes ({}): {}", conf.describe(), otherwise, e.getMessage());
      }
    }
    return this;
  }

  /** Logs once at start-up what every routed request will answer with a 500 until it is fixed. */
  public void warnIfNoCredentials() {
    try {
      live.current().credentials().resolve();
    } catch (CredentialsUnavailableException e) {
      LOG.warn("no AWS credentials: {}; every routed request will answer 500 until they are set", e.getMessage());
    }
  }

  @Override
  public void close() {
    if (watcher != null) {
      watcher.close();
    }
    if (ownedCredentials != null) {
      ownedCredentials.close();
    }
  }

  /** Where the settings come from, and what tests put in place of the real credential chain. */
  public static final class Builder {
    private final ConfSource conf;
    private Map<String, String> env = Map.of();
    private Map<String, String> cli = Map.of();
    private Properties systemProperties = new Properties();
    private Clock clock = Clock.systemUTC();
    private CredentialsProvider credentials;
    private Function<String, CredentialsProvider> roles;

    private Builder(ConfSource conf) {
      this.conf = Objects.requireNonNull(conf, "conf");
    }

    public Builder env(Map<String, String> env) {
      this.env = Map.copyOf(env);
      return this;
    }

    /** Settings given on the command line: they win over the environment and the file. */
    public Builder cli(Map<String, String> cli) {
      this.cli = Map.copyOf(cli);
      return this;
    }

    public Builder systemProperties(Properties systemProperties) {
      this.systemProperties = Objects.requireNonNull(systemProperties, "systemProperties");
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Signs with this provider instead of the chain the settings choose (tests). */
    public Builder credentials(CredentialsProvider credentials) {
      this.credentials = credentials;
      return this;
    }

    /** Where routes with {@code role-arn=} get their role's credentials, instead of STS (tests). */
    public Builder roles(Function<String, CredentialsProvider> roles) {
      this.roles = roles;
      return this;
    }

    /**
     * Loads the configuration.
     *
     * @throws dev.lambdaproxy.config.ConfigException when a file or setting is bad, naming where
     */
    public Bootstrap start() {
      ConfigValues values = ProxyConfig.values(conf, env, cli);
      CredentialsProviders owned = credentials != null ? null : ProxyConfig.credentials(Settings.from(values), env, systemProperties);
      try {
        CredentialsProvider signWith = credentials != null ? credentials : owned.proxy();
        Function<String, CredentialsProvider> assume = roles != null ? roles : owned != null ? owned::forRole : null;
        Supplier<ProxyConfig> reload = () -> load(ProxyConfig.values(conf, env, cli), signWith, assume);
        LiveConfig live = new LiveConfig(load(values, signWith, assume), reload);
        return new Bootstrap(conf, values, owned, live);
      } catch (RuntimeException | Error e) {
        if (owned != null) {
          owned.close();
        }
        throw e;
      }
    }

    private ProxyConfig load(ConfigValues values, CredentialsProvider signWith, Function<String, CredentialsProvider> assume) {
      ProxyConfig loaded = ProxyConfig.load(conf, values, env, signWith, clock);
      return assume == null ? loaded : loaded.withRoles(assume);
    }
  }
}
