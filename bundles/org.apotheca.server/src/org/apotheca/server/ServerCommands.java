package org.apotheca.server;

import java.util.Map;

import org.eclipse.emf.cdo.server.IRepository;

/**
 * Apotheca's own console commands on the central server, as one Gogo function with sub-commands:
 * {@code apotheca status}, {@code apotheca repos}, {@code apotheca help}. Replies are single lines that
 * scripts can parse; an unknown sub-command is an error (the one-shot console exits non-zero).
 */
public class ServerCommands {

  private final CentralServer server;

  public ServerCommands(CentralServer server) {
    this.server = server;
  }

  public String apotheca(String... args) {
    String sub = args.length == 0 ? "help" : args[0];
    return switch (sub) {
      case "status" -> status();
      case "repos" -> repos();
      case "help" -> help();
      default -> throw new IllegalArgumentException("unknown command 'apotheca " + sub + "'. " + help());
    };
  }

  private String status() {
    return "status server=" + (server.isRunning() ? "RUNNING" : "STOPPED") + " address=" + server.config().endpoint()
        + " repositories=" + server.repositories().size() + " data=" + server.config().dataDir();
  }

  private String repos() {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, IRepository> e : server.repositories().entrySet()) {
      IRepository r = e.getValue();
      sb.append("repository name=").append(e.getKey()).append(" state=").append(r.getState()).append(" sessions=")
          .append(r.getSessionManager().getSessions().length).append(" lastCommit=").append(java.time.Instant.ofEpochMilli(r.getLastCommitTimeStamp())).append('\n');
    }
    return sb.toString().stripTrailing();
  }

  private static String help() {
    return "Commands: apotheca status | apotheca repos | apotheca help";
  }
}
