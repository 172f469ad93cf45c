package org.apotheca.ui.dispensary;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apotheca.node.api.ClinicalWarning;
import org.apotheca.node.api.DispensingLabel;
import org.apotheca.node.api.PatientInfo;
import org.apotheca.node.api.RegisterEntry;
import org.apotheca.node.api.RegisterEntryKind;

/** What the dispensary's screens and printouts say, as pure functions of the node's records. */
public final class DispensaryTexts {

  private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);
  /** A label is about 40 characters wide, as on a 70 mm label printer. */
  static final int LABEL_WIDTH = 44;

  private DispensaryTexts() {
  }

  /** "CD2", "CD4-1", or "" for a product that is not a controlled drug. */
  public static String schedule(String schedule) {
    if (!controlled(schedule)) {
      return "";
    }
    String s = schedule.toUpperCase(Locale.ROOT).replace("SCHEDULE_", "").replace("_PART_", "-");
    return "CD" + s;
  }

  public static boolean controlled(String schedule) {
    return schedule != null && !schedule.isBlank() && !"NONE".equalsIgnoreCase(schedule);
  }

  public static String dayTime(long epochMillis) {
    return epochMillis <= 0 ? "" : DAY_TIME.format(Instant.ofEpochMilli(epochMillis).atZone(ZoneId.systemDefault()));
  }

  /** "DOE, Jane · born 1950-03-02 · allergies: Penicillin" as the patient's card says it. */
  public static String patientCard(PatientInfo p) {
    StringBuilder b = new StringBuilder(p.displayName());
    if (p.dateOfBirth() != null) {
      b.append("  \u00b7  born ").append(p.dateOfBirth());
    }
    b.append("  \u00b7  ").append(p.allergies().isEmpty() ? "no known allergies" : "ALLERGIES: " + String.join(", ", p.allergies()));
    return b.toString();
  }

  /** "MAJOR interaction", "CONTRAINDICATED allergy", "MODERATE duplicate therapy". */
  public static String warningTitle(ClinicalWarning w) {
    return w.severity().name() + " " + w.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }

  /** The register entry's kind as the printed register names it. */
  public static String kind(RegisterEntryKind k) {
    return switch (k) {
      case RECEIVED -> "Received";
      case SUPPLIED -> "Supplied";
      case RETURNED_TO_SUPPLIER -> "Returned to supplier";
      case DESTROYED -> "Destroyed";
      case CORRECTION_NOTE -> "Correction note";
    };
  }

  /** Who the entry was from or for: the supplier (and invoice), or the patient (and address). */
  public static String party(RegisterEntry e) {
    return switch (e.kind()) {
      case RECEIVED, RETURNED_TO_SUPPLIER -> join(e.supplier(), e.note());
      case SUPPLIED -> join(join(e.patientName(), e.patientAddress()), e.note());
      case DESTROYED -> nz(e.note());
      case CORRECTION_NOTE -> nz(e.note());
    };
  }

  /** "Patient", "J. Smith (ID: driving licence)", "J. Smith (ID asked, not shown)", "" for entries without one. */
  public static String collector(RegisterEntry e) {
    if (e.kind() != RegisterEntryKind.SUPPLIED) {
      return "";
    }
    String who = e.collectorIsPatient() ? "Patient" : nz(e.collectorName());
    if (e.idChecked()) {
      return who + ", ID: " + nz(e.idEvidence());
    }
    return who + (e.idRequested() ? ", ID asked, not shown" : ", ID not asked");
  }

  /** One line of the printed register (fixed columns, Courier). */
  public static String registerLine(RegisterEntry e) {
    String in = e.kind() == RegisterEntryKind.RECEIVED ? String.valueOf(e.quantity()) : "";
    String out = e.kind() == RegisterEntryKind.SUPPLIED || e.kind() == RegisterEntryKind.RETURNED_TO_SUPPLIER
        || e.kind() == RegisterEntryKind.DESTROYED ? String.valueOf(e.quantity()) : "";
    return String.format(Locale.ROOT, "%-10s %-16s %5s %5s %7d  %-34s %-22s %-28s %-10s %s", e.date(), cut(kind(e.kind()), 16),
        in, out, e.balanceAfter(), cut(party(e), 34), cut(nz(e.prescriberName()), 22), cut(collector(e), 28), cut(e.enteredBy(), 10),
        e.kind() == RegisterEntryKind.CORRECTION_NOTE ? "note of " + dayTime(e.enteredAt()) : "");
  }

  public static final String REGISTER_COLUMNS = String.format(Locale.ROOT, "%-10s %-16s %5s %5s %7s  %-34s %-22s %-28s %-10s %s",
      "Date", "Entry", "In", "Out", "Balance", "From / supplied to", "Prescriber", "Collected by", "By", "");

  /** The lines of one label per medicine supplied, separated by an empty line. */
  public static List<List<String>> labels(DispensingLabel l) {
    List<List<String>> out = new ArrayList<>();
    for (DispensingLabel.Item i : l.items()) {
      List<String> lines = new ArrayList<>();
      lines.add(i.quantity() + " x " + i.productName());
      lines.addAll(wrap(i.directions() == null || i.directions().isBlank() ? "Use as directed." : i.directions(), LABEL_WIDTH));
      lines.add("");
      lines.add(twoSides(l.patientName(), l.date().toString()));
      lines.add("Keep out of the sight and reach of children.");
      String batch = (i.lots() == null || i.lots().isBlank() ? "" : "Lot " + i.lots())
          // several lots: the node gives the earliest expiry, which is the one the patient must go by
          + (i.expiry() == null || i.expiry().isBlank() ? "" : (i.lots() != null && i.lots().contains(",") ? " first exp " : " exp ") + i.expiry());
      lines.add(twoSides(l.prescriptionNumber(), batch.strip()));
      lines.add(nz(l.pharmacyName()) + (l.pharmacist() == null ? "" : " \u00b7 " + l.pharmacist()));
      String where = join(l.pharmacyAddress(), l.pharmacyPhone());
      if (!where.isEmpty()) {
        lines.addAll(wrap(where, LABEL_WIDTH));
      }
      out.add(lines);
    }
    return out;
  }

  /** The labels as one text, a rule between them, as the screen shows them. */
  public static String labelText(DispensingLabel l) {
    StringBuilder b = new StringBuilder();
    for (List<String> label : labels(l)) {
      if (b.length() > 0) {
        b.append("\n").append("-".repeat(LABEL_WIDTH)).append("\n");
      }
      b.append(String.join("\n", label));
    }
    return b.toString();
  }

  static List<String> wrap(String text, int width) {
    List<String> out = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.strip().split("\\s+")) {
      if (line.length() > 0 && line.length() + 1 + word.length() > width) {
        out.add(line.toString());
        line.setLength(0);
      }
      line.append(line.length() > 0 ? " " : "").append(word);
    }
    if (line.length() > 0) {
      out.add(line.toString());
    }
    return out;
  }

  private static String twoSides(String left, String right) {
    String l = nz(left);
    String r = nz(right);
    int gap = LABEL_WIDTH - l.length() - r.length();
    return gap >= 1 ? l + " ".repeat(gap) + r : l + " " + r;
  }

  static String join(String a, String b) {
    String x = nz(a).strip();
    String y = nz(b).strip();
    return x.isEmpty() ? y : y.isEmpty() ? x : x + ", " + y;
  }

  static String nz(String s) {
    return s == null ? "" : s;
  }

  private static String cut(String s, int max) {
    String t = nz(s);
    return t.length() <= max ? t : t.substring(0, max - 1) + "\u2026";
  }
}
