package org.apotheca.core;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What a pharmacy node tells central's site board about itself, and the one-line form it travels in as the argument
 * of the TLS gate's {@code STATUS} request: {@code key=value} words separated by spaces, each value percent-encoded
 * (UTF-8), so an error sentence with spaces or quotes stays one word. Both ends use this class, so they cannot disagree
 * on the format; central ignores keys it does not know (a newer node), and refuses a line without {@code site},
 * {@code state} or {@code sent}.
 *
 * @param siteId the pharmacy the report is about (central refuses it unless the certificate says the same)
 * @param state the node's state word: ONLINE, SYNCING, OFFLINE, ERROR, or STOPPED (its last report, sent as it stops)
 * @param pendingSales sales made offline and not merged into central yet
 * @param pendingCommits every offline commit not merged yet (sales, refunds, receipts ...)
 * @param lastSyncAt when the node was last ONLINE with nothing left to merge (0: never)
 * @param lastMergeAt when the node last merged offline work into central (0: never)
 * @param merges merges done since the node started
 * @param catalogueVersion the last central catalogue commit the node holds (0: none)
 * @param ready whether the node has had the catalogue and its own data once (it can sell)
 * @param version the node software's version
 * @param sentAt the node's clock when it sent the report
 * @param error the node's current error in plain words, or null
 */
public record SiteReport(String siteId, String state, int pendingSales, int pendingCommits, long lastSyncAt,
    long lastMergeAt, int merges, long catalogueVersion, boolean ready, String version, long sentAt, String error) {

  /** The request verb at central's TLS gate. */
  public static final String VERB = "STATUS";
  /** An error sentence longer than this is cut: the board shows it in one line. */
  public static final int MAX_ERROR = 400;
  private static final Set<String> STATES = Set.of("ONLINE", "SYNCING", "OFFLINE", "ERROR", "STOPPED");

  public SiteReport {
    Repositories.checkSiteId(siteId);
    if (!STATES.contains(state)) {
      throw new IllegalArgumentException("unknown node state '" + state + "'");
    }
    if (error != null) {
      error = error.replaceAll("[\\r\\n\\t]+", " ").strip();
      if (error.isEmpty()) {
        error = null;
      } else if (error.length() > MAX_ERROR) {
        error = error.substring(0, MAX_ERROR - 3) + "...";
      }
    }
    version = version == null || version.isBlank() ? "unknown" : version.strip();
  }

  /** The same report with another state (the node's last word as it stops). */
  public SiteReport withState(String newState, long now) {
    return new SiteReport(siteId, newState, pendingSales, pendingCommits, lastSyncAt, lastMergeAt, merges, catalogueVersion,
        ready, version, now, error);
  }

  /**
   * What makes a report worth sending before the next heartbeat: everything but the times that move by themselves
   * (the catalogue version moves with every central change at every pharmacy at once, so it waits for the heartbeat).
   */
  public String changeKey() {
    return state + " " + pendingSales + " " + pendingCommits + " " + lastMergeAt + " " + merges + " " + ready + " " + version
        + " " + error;
  }

  /** The line form (the request's argument). */
  public String encode() {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("site", siteId);
    f.put("state", state);
    f.put("pending", Integer.toString(pendingSales));
    f.put("pendingCommits", Integer.toString(pendingCommits));
    f.put("lastSync", Long.toString(lastSyncAt));
    f.put("lastMerge", Long.toString(lastMergeAt));
    f.put("merges", Integer.toString(merges));
    f.put("catalogue", Long.toString(catalogueVersion));
    f.put("ready", ready ? "yes" : "no");
    f.put("version", version);
    f.put("sent", Long.toString(sentAt));
    if (error != null) {
      f.put("error", error);
    }
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> e : f.entrySet()) {
      sb.append(sb.length() == 0 ? "" : " ").append(e.getKey()).append('=')
          .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
    }
    return sb.toString();
  }

  /**
   * Reads the line form.
   *
   * @throws IllegalArgumentException with one sentence saying what is wrong with the line
   */
  public static SiteReport parse(String line) {
    if (line == null || line.isBlank()) {
      throw new IllegalArgumentException("the status report is empty");
    }
    Map<String, String> f = new LinkedHashMap<>();
    for (String word : line.strip().split(" +")) {
      int eq = word.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("the status report has a word that is not key=value: '" + cut(word) + "'");
      }
      try {
        f.put(word.substring(0, eq), URLDecoder.decode(word.substring(eq + 1), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("the status report's " + cut(word.substring(0, eq)) + " is not readable");
      }
    }
    for (String required : new String[] { "site", "state", "sent" }) {
      if (!f.containsKey(required)) {
        throw new IllegalArgumentException("the status report has no " + required);
      }
    }
    return new SiteReport(f.get("site"), f.get("state"), (int) number(f, "pending"), (int) number(f, "pendingCommits"),
        number(f, "lastSync"), number(f, "lastMerge"), (int) number(f, "merges"), number(f, "catalogue"),
        "yes".equals(f.get("ready")), f.get("version"), number(f, "sent"), f.get("error"));
  }

  private static long number(Map<String, String> f, String key) {
    String v = f.get(key);
    if (v == null) {
      return 0;
    }
    try {
      long n = Long.parseLong(v);
      if (n < 0 || ((key.equals("pending") || key.equals("pendingCommits") || key.equals("merges")) && n > Integer.MAX_VALUE)) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("the status report's " + key + " is not a count or a time: '" + cut(v) + "'");
    }
  }

  private static String cut(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }

  /** A time for console lines: ISO-8601 UTC to the second, or "never". */
  public static String at(long millis) {
    return millis <= 0 ? "never" : Instant.ofEpochMilli(millis - millis % 1000).toString();
  }
}
