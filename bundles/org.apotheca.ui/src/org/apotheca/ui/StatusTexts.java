package org.apotheca.ui;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import org.apotheca.node.api.NodeState;

/** What the status line says about the node, in the words a pharmacist reads at a glance. */
public final class StatusTexts {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);
  private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("d MMM HH:mm", Locale.ENGLISH);

  private StatusTexts() {
  }

  /** The connection: the one piece that says whether this till can sell. */
  public static String connection(NodeSnapshot s, String where) {
    if (s.problem() != null) {
      return s.problem();
    }
    NodeState st = s.state();
    String kept = s.local() ? "sales are kept on this computer" : "sales are kept by the pharmacy node";
    return switch (st.connection()) {
      case ONLINE -> "Online";
      case CATCHING_UP -> "Catching up with central";
      case OFFLINE -> (st.since() > 0 ? "Offline since " + time(st.since(), s.takenAt()) : "Offline") + " \u2014 " + kept;
      case ERROR -> "Error: " + (st.error() == null ? "unknown" : st.error()) + " \u2014 sales are still kept";
      case NOT_READY -> "Node not ready: waiting for the catalogue from central";
      case NODE_UNREACHABLE -> st.error() != null && st.error().startsWith(NodeState.TILL_REFUSED) ? st.error() + " \u2014 cannot sell"
          : "Cannot reach " + where + " \u2014 cannot sell";
    };
  }

  /** The node's own figures mean nothing while this till cannot reach the node: then the details stay empty. */
  private static boolean noFigures(NodeSnapshot s) {
    return s.state() == null || s.state().connection() == NodeState.Connection.NODE_UNREACHABLE;
  }

  public static String pending(NodeSnapshot s) {
    if (noFigures(s)) {
      return "";
    }
    int n = s.state().pendingSales();
    int other = s.state().pendingOther();
    // sales first: they are what the till is about; the back office's work must not look synced when it is not
    String others = other == 1 ? "1 other change" : other + " other changes";
    if (n == 0) {
      return other == 0 ? "All sales at central" : "All sales at central \u00b7 " + others + " waiting";
    }
    String sales = n == 1 ? "1 sale" : n + " sales";
    return other == 0 ? sales + " waiting for central" : sales + " and " + others + " waiting for central";
  }

  /** Empty when it would repeat the connection piece ("Offline since 14:05" and last reached at 14:05). */
  public static String contact(NodeSnapshot s) {
    if (noFigures(s)) {
      return "";
    }
    long at = s.state().lastContactAt();
    if (at <= 0) {
      return "Not reached central yet";
    }
    String when = time(at, s.takenAt());
    NodeState st = s.state();
    boolean repeats = st.connection() == NodeState.Connection.OFFLINE && st.since() > 0 && when.equals(time(st.since(), s.takenAt()));
    return repeats ? "" : "Last reached central " + when;
  }

  public static String catalogue(NodeSnapshot s) {
    if (noFigures(s)) {
      return "";
    }
    long at = s.state().catalogueAt();
    return at <= 0 ? "No catalogue yet" : "Catalogue from " + time(at, s.takenAt());
  }

  /** "14:05" today, "29 Nov 14:05" on another day. */
  public static String time(long epochMillis, long now) {
    ZoneId zone = ZoneId.systemDefault();
    var at = Instant.ofEpochMilli(epochMillis).atZone(zone);
    LocalDate today = Instant.ofEpochMilli(now).atZone(zone).toLocalDate();
    return at.toLocalDate().equals(today) ? TIME.format(at) : DAY_TIME.format(at);
  }

  /** Why the till may not take a payment now, in one sentence. */
  public static String cannotSell(NodeSnapshot s, String where) {
    return "No sale can be recorded now \u2014 " + connection(s, where);
  }
}
