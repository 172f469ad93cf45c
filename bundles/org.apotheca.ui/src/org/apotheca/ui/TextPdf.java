package org.apotheca.ui;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes lines of plain text as a PDF 1.4 in Courier (a standard font every reader has, so nothing is embedded):
 * receipts, dispensing labels, the controlled-drugs register. OpenPDF would need BouncyCastle's three bundles in the
 * target platform for what is lines of text; this is all it takes.
 */
public final class TextPdf {

  private static final int FONT_SIZE = 10;
  private static final int LEADING = 13;
  private static final int MARGIN = 36;
  /** A4 landscape in points: the register's columns are wide. */
  public static final int A4_LONG = 842;
  public static final int A4_SHORT = 595;

  private TextPdf() {
  }

  /** One page exactly as wide and tall as the text (a receipt, a label), via a temporary file. */
  public static Path write(Path file, String title, List<String> lines) throws IOException {
    return atomically(file, bytes(title, List.of(lines), pageWidth(lines), Math.max(200, lines.size() * LEADING + 2 * MARGIN)));
  }

  /** One page per list of lines (labels: one per medicine), every page as big as the largest needs. */
  public static Path writeEach(Path file, String title, List<List<String>> pages) throws IOException {
    int width = 0;
    int height = 0;
    for (List<String> p : pages) {
      width = Math.max(width, pageWidth(p));
      height = Math.max(height, p.size() * LEADING + 2 * MARGIN);
    }
    return atomically(file, bytes(title, pages.isEmpty() ? List.of(List.of()) : pages, width, Math.max(120, height)));
  }

  /**
   * A4 landscape pages: {@code header} at the top of every page, then as many of {@code lines} as fit, and
   * "Page n of m" at the foot, so a printed register can be put back in order.
   */
  public static Path writePages(Path file, String title, List<String> header, List<String> lines) throws IOException {
    return atomically(file, pagesBytes(title, header, lines));
  }

  public static byte[] pagesBytes(String title, List<String> header, List<String> lines) {
    int perPage = Math.max(1, (A4_SHORT - 2 * MARGIN) / LEADING - header.size() - 2);
    int count = Math.max(1, (lines.size() + perPage - 1) / perPage);
    List<List<String>> pages = new ArrayList<>();
    for (int p = 0; p < count; p++) {
      List<String> page = new ArrayList<>(header);
      page.addAll(lines.subList(Math.min(lines.size(), p * perPage), Math.min(lines.size(), (p + 1) * perPage)));
      page.add("");
      page.add("Page " + (p + 1) + " of " + count);
      pages.add(page);
    }
    return bytes(title, pages, A4_LONG, A4_SHORT);
  }

  private static Path atomically(Path file, byte[] bytes) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(tmp, bytes);
    return Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static int pageWidth(List<String> lines) {
    int width = 0;
    for (String l : lines) {
      width = Math.max(width, l.length());
    }
    // Courier advances 0.6 em per glyph
    return Math.max(226, (int) Math.ceil(width * FONT_SIZE * 0.6) + 2 * MARGIN);
  }

  /** The PDF of {@code pages} (each a list of lines), all of the given size in points. */
  public static byte[] bytes(String title, List<List<String>> pages, int pageWidth, int pageHeight) {
    int n = pages.size();
    // objects: 1 catalog, 2 pages, 3 font, 4 info, then per page: its page object and its content stream
    List<String> objects = new ArrayList<>();
    List<byte[]> streams = new ArrayList<>();
    StringBuilder kids = new StringBuilder();
    for (int i = 0; i < n; i++) {
      kids.append(i == 0 ? "" : " ").append(5 + 2 * i).append(" 0 R");
    }
    objects.add("<< /Type /Catalog /Pages 2 0 R >>");
    objects.add("<< /Type /Pages /Kids [" + kids + "] /Count " + n + " >>");
    objects.add("<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>");
    objects.add("<< /Title (" + escape(title) + ") /Producer (Apotheca) >>");
    streams.add(null);
    streams.add(null);
    streams.add(null);
    streams.add(null);
    for (int i = 0; i < n; i++) {
      objects.add("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 " + pageWidth + " " + pageHeight + "] "
          + "/Resources << /Font << /F1 3 0 R >> >> /Contents " + (6 + 2 * i) + " 0 R >>");
      streams.add(null);
      objects.add(null);
      streams.add(content(pages.get(i), pageHeight));
    }

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<Integer> offsets = new ArrayList<>();
    write(out, "%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n");
    for (int i = 0; i < objects.size(); i++) {
      offsets.add(out.size());
      write(out, (i + 1) + " 0 obj\n");
      if (streams.get(i) != null) {
        write(out, "<< /Length " + streams.get(i).length + " >>\nstream\n");
        out.writeBytes(streams.get(i));
        write(out, "endstream\n");
      } else {
        write(out, objects.get(i) + "\n");
      }
      write(out, "endobj\n");
    }
    int xref = out.size();
    write(out, "xref\n0 " + (objects.size() + 1) + "\n0000000000 65535 f \n");
    for (int offset : offsets) {
      write(out, String.format("%010d 00000 n \n", offset));
    }
    write(out, "trailer\n<< /Size " + (objects.size() + 1) + " /Root 1 0 R /Info 4 0 R >>\nstartxref\n" + xref
        + "\n%%EOF\n");
    return out.toByteArray();
  }

  private static byte[] content(List<String> lines, int pageHeight) {
    StringBuilder content = new StringBuilder();
    content.append("BT\n/F1 ").append(FONT_SIZE).append(" Tf\n").append(LEADING).append(" TL\n")
        .append(MARGIN).append(' ').append(pageHeight - MARGIN - FONT_SIZE).append(" Td\n");
    for (String l : lines) {
      content.append('(').append(escape(l)).append(") Tj T*\n");
    }
    content.append("ET\n");
    return content.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private static void write(ByteArrayOutputStream out, String s) {
    out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Latin-1 text in a PDF string; anything outside it becomes '?', the ellipsis "...". */
  public static String escape(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.replace("\u2026", "...").replace("\u00d7", "x").replace("\u2014", "-").toCharArray()) {
      if (c == '(' || c == ')' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 32 || c > 255) {
        b.append('?');
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
