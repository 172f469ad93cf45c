package org.apotheca.ui.dispensary;

import org.apotheca.ui.Ids;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;

/**
 * Who collects a controlled drug and whether their identity was checked: what the register records for each supply.
 */
final class CollectionForm extends Form {

  private final String drugs;
  private Button patient;
  private Text name;
  private Button asked;
  private Button checked;
  private Text evidence;
  private Collection result;

  /** What the register is told about the collection. */
  record Collection(String name, boolean isPatient, boolean idRequested, boolean idChecked, String evidence) {
  }

  CollectionForm(Shell parent, String drugs) {
    super(parent, "Controlled drug: who collects", "collect", false);
    this.drugs = drugs;
  }

  @Override
  protected Control createDialogArea(Composite parent) {
    Composite area = (Composite) super.createDialogArea(parent);
    GridLayoutFactory.swtDefaults().numColumns(2).margins(16, 12).spacing(12, 8).applyTo(area);
    heading(area, 2, "Controlled drug: who collects?");
    Label what = new Label(area, SWT.WRAP);
    what.setText(drugs);
    what.setFont(bold);
    GridDataFactory.fillDefaults().span(2, 1).hint(560, SWT.DEFAULT).applyTo(what);
    patient = check(area, "collect.patient", "Collected by the &patient");
    GridDataFactory.fillDefaults().span(2, 1).applyTo(patient);
    label(area, "Collector's &name");
    name = field(area, "collect.name", 320);
    name.setMessage("when someone else collects");
    asked = check(area, "collect.asked", "&ID asked for");
    GridDataFactory.fillDefaults().span(2, 1).applyTo(asked);
    checked = check(area, "collect.checked", "ID &checked");
    GridDataFactory.fillDefaults().span(2, 1).applyTo(checked);
    label(area, "&Evidence seen");
    evidence = field(area, "collect.evidence", 320);
    evidence.setMessage("e.g. driving licence");
    patient.addListener(SWT.Selection, e -> name.setEnabled(!patient.getSelection()));
    checked.addListener(SWT.Selection, e -> {
      if (checked.getSelection()) {
        asked.setSelection(true);
      }
    });
    onEnter(patient, () -> (patient.getSelection() ? asked : name).setFocus());
    onEnter(name, asked::setFocus);
    onEnter(asked, checked::setFocus);
    onEnter(checked, () -> (checked.getSelection() ? evidence : (Control) getButton(IDialogConstants.OK_ID)).setFocus());
    onEnter(evidence, this::okPressed);
    message(area, 2);
    keys(area, 2, "Space ticks a box \u00b7 Enter moves on \u00b7 Esc: do not dispense");
    return area;
  }

  @Override
  protected void createButtonsForButtonBar(Composite parent) {
    Ids.id(createButton(parent, IDialogConstants.OK_ID, "&Dispense", false), "collect.ok");
    Ids.id(createButton(parent, IDialogConstants.CANCEL_ID, "Do not dispense (Esc)", false), "collect.cancel");
  }

  @Override
  protected void okPressed() {
    String who = name.getText().strip();
    if (!patient.getSelection() && who.isEmpty()) {
      name.setFocus();
      error("Name who collects, or tick \u201cCollected by the patient\u201d.");
      return;
    }
    if (checked.getSelection() && evidence.getText().isBlank()) {
      evidence.setFocus();
      error("Name the evidence of identity you saw.");
      return;
    }
    result = new Collection(patient.getSelection() ? null : who, patient.getSelection(), asked.getSelection(),
        checked.getSelection(), checked.getSelection() ? evidence.getText().strip() : null);
    super.okPressed();
  }

  /** What was entered, or null when the pharmacist chose not to dispense. */
  Collection result() {
    return result;
  }
}
