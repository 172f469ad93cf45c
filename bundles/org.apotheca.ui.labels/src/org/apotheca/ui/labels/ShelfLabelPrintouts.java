package org.apotheca.ui.labels;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import org.apotheca.ui.Printouts;
import org.apotheca.ui.TextPdf;
import org.eclipse.core.runtime.Platform;

/**
 * Where shelf labels go. The PDF: the system property {@value #PROPERTY}, else the preference
 * {@code org.apotheca.ui.labels/printouts.dir}, else {@code labels} in the workbench's -data folder. The ZPL for a
 * thermal printer only when a folder is named: {@value #ZPL_PROPERTY}, else the preference
 * {@code org.apotheca.ui.labels/zpl.dir} (an admin deploys it as
 * {@code configuration/.settings/org.apotheca.ui.labels.prefs}); a print server or a mounted printer share picks the
 * files up from there.
 */
public final class ShelfLabelPrintouts {

  public static final String PROPERTY = "apotheca.labels.dir";
  public static final String ZPL_PROPERTY = "apotheca.labels.zpl.dir";
  static final String NODE = "org.apotheca.ui.labels";
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");

  /** What one print wrote: the PDF, and the ZPL file or null when no label printer is set up. */
  public record Printed(Path pdf, Path zpl, int labels) {
  }

  private ShelfLabelPrintouts() {
  }

  public static Path folder() {
    return Printouts.folder(PROPERTY, NODE, "printouts.dir", "labels");
  }

  /** The label printer's folder, or null when none is set. */
  public static Path zplFolder() {
    String p = System.getProperty(ZPL_PROPERTY);
    if (p == null || p.isBlank()) {
      p = Platform.getPreferencesService() == null ? null
          : Platform.getPreferencesService().getString(NODE, "zpl.dir", null, null);
    }
    return p == null || p.isBlank() ? null : Path.of(p.strip());
  }

  /** Writes the PDF (one page per copy) and, if a printer folder is set, the ZPL. Not on the UI thread. */
  public static Printed write(List<ShelfLabel> labels) throws IOException {
    return write(labels, folder(), zplFolder());
  }

  public static Printed write(List<ShelfLabel> labels, Path pdfFolder, Path zplFolder) throws IOException {
    String stamp = LocalDateTime.now().format(STAMP);
    List<List<String>> pages = new ArrayList<>();
    StringBuilder zpl = new StringBuilder();
    for (ShelfLabel l : labels) {
      for (int i = 0; i < l.copies(); i++) {
        pages.add(l.lines());
      }
      zpl.append(l.zpl());
    }
    Path pdf = TextPdf.writeEach(pdfFolder.resolve("shelf-labels-" + stamp + ".pdf"), "Shelf labels " + stamp, pages);
    Path zplFile = null;
    if (zplFolder != null) {
      // a spooler watching the folder must never pick up half a file: written aside, then moved in
      Files.createDirectories(zplFolder);
      Path tmp = zplFolder.resolve(".shelf-labels-" + stamp + ".zpl.tmp");
      Files.writeString(tmp, zpl, StandardCharsets.UTF_8);
      zplFile = Files.move(tmp, zplFolder.resolve("shelf-labels-" + stamp + ".zpl"), StandardCopyOption.ATOMIC_MOVE);
    }
    return new Printed(pdf, zplFile, pages.size());
  }
}
