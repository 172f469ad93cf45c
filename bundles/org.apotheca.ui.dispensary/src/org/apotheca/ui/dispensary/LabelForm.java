package org.apotheca.ui.dispensary;

import java.io.IOException;
import java.nio.file.Path;

import org.apotheca.node.api.DispensingInfo;
import org.apotheca.node.api.DispensingLabel;
import org.apotheca.ui.Activator;
import org.apotheca.ui.Ids;
import org.apotheca.ui.Palette;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.swt.SWT;
import org.eclipse.swt.program.Program;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;

/** What was dispensed, the label as it prints, and its PDF (written at once). */
final class LabelForm extends Form {

  static final int OPEN_PDF_ID = IDialogConstants.CLIENT_ID + 1;

  private final DispensingInfo done;
  private final DispensingLabel label;
  private Path pdf;
  private String pdfProblem;
  private Label file;

  LabelForm(Shell parent, DispensingInfo done, DispensingLabel label) {
    super(parent, "Dispensed " + done.prescriptionNumber(), "label", false);
    this.done = done;
    this.label = label;
    try {
      pdf = DispensaryPrintouts.writeLabel(label);
    } catch (IOException | RuntimeException e) {
      Activator.log("Writing the label PDF of " + done.prescriptionNumber() + " failed", e);
      pdfProblem = "The label PDF could not be written (" + DispensaryPrintouts.folder() + "): the dispensing is recorded all the same.";
    }
  }

  @Override
  protected Control createDialogArea(Composite parent) {
    Composite area = (Composite) super.createDialogArea(parent);
    GridLayoutFactory.swtDefaults().margins(16, 12).spacing(8, 8).applyTo(area);
    Palette p = Palette.get(area.getDisplay());
    Label title = Ids.id(new Label(area, SWT.WRAP), "label.title");
    title.setText("Dispensed \u2014 " + done.prescriptionNumber());
    title.setFont(huge);
    title.setForeground(p.ok());
    int owed = done.lines().stream().mapToInt(DispensingInfo.Line::owedAfter).sum();
    Label state = Ids.id(new Label(area, SWT.WRAP), "label.owed");
    state.setText(owed == 0 ? "Nothing more is owed on these items." : owed + (owed == 1 ? " unit is" : " units are")
        + " still owed to the patient: the prescription stays open for the rest.");
    state.setFont(bold);
    state.setForeground(owed == 0 ? p.ok() : p.warn());
    Label central = Ids.id(new Label(area, SWT.WRAP), "label.central");
    central.setText(done.atCentral() ? "Central has this dispensing."
        : "Kept on the pharmacy node: it goes to central as soon as central can be reached.");
    central.setFont(bold);
    central.setForeground(done.atCentral() ? p.ok() : p.warn());

    Text text = Ids.id(new Text(area, SWT.MULTI | SWT.READ_ONLY | SWT.BORDER | SWT.V_SCROLL), "label.text");
    text.setFont(JFaceResources.getTextFont());
    text.setText(DispensaryTexts.labelText(label));
    text.setBackground(area.getDisplay().getSystemColor(SWT.COLOR_WHITE));
    GridDataFactory.fillDefaults().grab(true, true).hint(520, 300).applyTo(text);

    file = Ids.id(new Label(area, SWT.WRAP), "label.pdf");
    file.setText(pdf != null ? "Label PDF for printing: " + pdf : pdfProblem);
    file.setForeground(pdf != null ? p.muted() : p.danger());
    GridDataFactory.fillDefaults().hint(520, SWT.DEFAULT).applyTo(file);
    return area;
  }

  @Override
  protected void createButtonsForButtonBar(Composite parent) {
    Ids.id(createButton(parent, OPEN_PDF_ID, "&Open label PDF", false), "label.open").setEnabled(pdf != null);
    Ids.id(createButton(parent, IDialogConstants.OK_ID, "Done (Enter)", true), "label.ok");
  }

  @Override
  protected void buttonPressed(int buttonId) {
    if (buttonId == OPEN_PDF_ID && pdf != null) {
      if (!Program.launch(pdf.toString())) {
        file.setText("No PDF viewer on this computer: the label is at " + pdf);
      }
      return;
    }
    super.buttonPressed(buttonId);
  }

  Path pdf() {
    return pdf;
  }
}
