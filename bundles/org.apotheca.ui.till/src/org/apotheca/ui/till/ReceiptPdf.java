package org.apotheca.ui.till;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a receipt as a one-page PDF 1.4 of plain text in Courier (a standard font every reader has, so nothing is
 * embedded). OpenPDF would need BouncyCastle's three bundles in the target platform for this one page; a receipt is
 * lines of text, and this is all it takes.
 */
public final class ReceiptPdf {

  private static final int FONT_SIZE = 10;
  private static final int LEADING = 13;
  private static final int MARGIN = 36;

  private ReceiptPdf() {
  }

  /** Writes {@code lines} to {@code file} (via a temporary file, so a half-written receipt never exists). */
  public static Path write(Path file, String title, List<String> lines) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(tmp, bytes(title, lines));
    return Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  static byte[] bytes(String title, List<String> lines) {
    int width = 0;
    for (String l : lines) {
      width = Math.max(width, l.length());
    }
    // Courier advances 0.6 em per glyph: the page is as wide and as tall as the receipt.
    int pageWidth = Math.max(226, (int) Math.ceil(width * FONT_SIZE * 0.6) + 2 * MARGIN);
    int pageHeight = Math.max(200, lines.size() * LEADING + 2 * MARGIN);

    StringBuilder content = new StringBuilder();
    content.append("BT\n/F1 ").append(FONT_SIZE).append(" Tf\n").append(LEADING).append(" TL\n")
        .append(MARGIN).append(' ').append(pageHeight - MARGIN - FONT_SIZE).append(" Td\n");
    for (String l : lines) {
      content.append('(').append(escape(l)).append(") Tj T*\n");
    }
    content.append("ET\n");
    byte[] stream = content.toString().getBytes(StandardCharsets.ISO_8859_1);

    List<String> objects = new ArrayList<>();
    objects.add("<< /Type /Catalog /Pages 2 0 R >>");
    objects.add("<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    objects.add("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 " + pageWidth + " " + pageHeight + "] "
        + "/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>");
    objects.add("<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>");
    objects.add(null); // the content stream, written below with its bytes
    objects.add("<< /Title (" + escape(title) + ") /Producer (Apotheca) >>");

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<Integer> offsets = new ArrayList<>();
    write(out, "%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n");
    for (int i = 0; i < objects.size(); i++) {
      offsets.add(out.size());
      write(out, (i + 1) + " 0 obj\n");
      if (objects.get(i) == null) {
        write(out, "<< /Length " + stream.length + " >>\nstream\n");
        out.writeBytes(stream);
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
    write(out, "trailer\n<< /Size " + (objects.size() + 1) + " /Root 1 0 R /Info 6 0 R >>\nstartxref\n" + xref
        + "\n%%EOF\n");
    return out.toByteArray();
  }

  private static void write(ByteArrayOutputStream out, String s) {
    out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Latin-1 text in a PDF string; anything outside it becomes '?', the ellipsis "...". */
  static String escape(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.replace("\u2026", "...").replace("\u00d7", "x").toCharArray()) {
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
