package org.apotheca.ui.dispensary;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.apotheca.node.api.DispensingLabel;
import org.apotheca.node.api.DrugRegister;
import org.apotheca.node.api.RegisterEntry;
import org.apotheca.ui.Printouts;
import org.apotheca.ui.TextPdf;

/**
 * Where the dispensary's PDFs go: the system property {@value #PROPERTY}, else the preference
 * {@code org.apotheca.ui.dispensary/printouts.dir}, else {@code dispensary} in the workbench's -data folder, else
 * {@code ~/Apotheca/dispensary}; labels under {@code labels/}, register printouts under {@code register/}.
 */
public final class DispensaryPrintouts {

  public static final String PROPERTY = "apotheca.dispensary.dir";

  private DispensaryPrintouts() {
  }

  public static Path folder() {
    return Printouts.folder(PROPERTY, "org.apotheca.ui.dispensary", "printouts.dir", "dispensary");
  }

  /** The labels of a dispensing, one page each. */
  public static Path writeLabel(DispensingLabel label) throws IOException {
    String name = "label-" + Printouts.safe(label.prescriptionNumber() + "-" + label.dispensingId().substring(0, Math.min(8, label.dispensingId().length()))) + ".pdf";
    return TextPdf.writeEach(folder().resolve("labels").resolve(name), "Label " + label.prescriptionNumber(),
        DispensaryTexts.labels(label));
  }

  /** One drug's register as the law wants it on paper: every entry, in order, with its running balance. */
  public static Path writeRegister(DrugRegister r, String pharmacy) throws IOException {
    List<String> header = new ArrayList<>();
    header.add("CONTROLLED DRUGS REGISTER  -  " + r.drug().productName() + "  (" + DispensaryTexts.schedule(r.drug().schedule())
        + ", " + r.drug().barcode() + ")");
    header.add(pharmacy + "  -  printed " + LocalDate.now() + "  -  balance " + r.drug().balance());
    header.add("");
    header.add(DispensaryTexts.REGISTER_COLUMNS);
    List<String> lines = new ArrayList<>();
    for (RegisterEntry e : r.entries()) {
      lines.add(DispensaryTexts.registerLine(e));
    }
    if (lines.isEmpty()) {
      lines.add("(no entries yet)");
    }
    String name = "register-" + Printouts.safe(r.drug().barcode()) + "-" + LocalDate.now() + ".pdf";
    return TextPdf.writePages(folder().resolve("register").resolve(name), "Controlled drugs register " + r.drug().productName(),
        header, lines);
  }
}
