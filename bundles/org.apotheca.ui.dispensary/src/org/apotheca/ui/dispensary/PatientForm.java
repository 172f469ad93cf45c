package org.apotheca.ui.dispensary;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import org.apotheca.node.api.PatientInfo;
import org.apotheca.node.api.PatientRequest;
import org.apotheca.ui.Ids;
import org.apotheca.ui.Node;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;

/** A new patient: names, date of birth, address, allergies. Saved by the node; Enter moves on, the last field saves. */
final class PatientForm extends Form {

  private final String typed;
  private Text family;
  private Text given;
  private Text born;
  private Text address;
  private Text allergies;
  private String patientId;
  private PatientInfo saved;

  PatientForm(Shell parent, String typed) {
    super(parent, "New patient", "patient", false);
    this.typed = typed == null ? "" : typed.strip();
  }

  @Override
  protected Control createDialogArea(Composite parent) {
    Composite area = (Composite) super.createDialogArea(parent);
    GridLayoutFactory.swtDefaults().numColumns(2).margins(16, 12).spacing(12, 8).applyTo(area);
    heading(area, 2, "New patient");
    label(area, "&Family name");
    family = field(area, "patient.family", 320);
    label(area, "&Given name");
    given = field(area, "patient.given", 320);
    label(area, "Date of &birth");
    born = field(area, "patient.born", 160);
    born.setMessage("yyyy-MM-dd");
    label(area, "&Address");
    address = field(area, "patient.address", 420);
    label(area, "A&llergies");
    allergies = field(area, "patient.allergies", 420);
    allergies.setMessage("ingredients, separated by commas");
    // what was typed into the search: "Doe Jane" or "Doe"
    String[] words = typed.split("\\s+", 2);
    family.setText(words[0]);
    if (words.length > 1) {
      given.setText(words[1]);
    }
    Text[] order = { family, given, born, address, allergies };
    for (int i = 0; i < order.length; i++) {
      Text next = i + 1 < order.length ? order[i + 1] : null;
      onEnter(order[i], next == null ? this::okPressed : next::setFocus);
    }
    message(area, 2);
    keys(area, 2, "Enter moves to the next field and saves on the last \u00b7 Esc closes without saving");
    return area;
  }

  @Override
  protected void createButtonsForButtonBar(Composite parent) {
    Ids.id(createButton(parent, IDialogConstants.OK_ID, "&Save patient", false), "patient.ok");
    Ids.id(createButton(parent, IDialogConstants.CANCEL_ID, "Close (Esc)", false), "patient.cancel");
  }

  @Override
  protected void okPressed() {
    LocalDate dob = null;
    if (!born.getText().isBlank()) {
      try {
        dob = LocalDate.parse(born.getText().strip());
      } catch (DateTimeParseException e) {
        born.setFocus();
        error("Write the date of birth as year-month-day, e.g. 1950-03-02.");
        return;
      }
    }
    List<String> allergyList = Arrays.stream(allergies.getText().split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    if (patientId == null) {
      patientId = UUID.randomUUID().toString(); // kept for a retry: the node records one patient
    }
    PatientRequest request = new PatientRequest(patientId, given.getText().strip(), family.getText().strip(), dob, null,
        address.getText().strip(), null, allergyList, null);
    saveAndClose(token -> Node.get().service().savePatient(token, request), p -> saved = p);
  }

  PatientInfo saved() {
    return saved;
  }
}
