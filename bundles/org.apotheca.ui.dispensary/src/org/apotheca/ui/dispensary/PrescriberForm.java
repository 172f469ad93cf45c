package org.apotheca.ui.dispensary;

import java.util.UUID;

import org.apotheca.node.api.PrescriberInfo;
import org.apotheca.node.api.PrescriberRequest;
import org.apotheca.ui.Ids;
import org.apotheca.ui.Node;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;

/** A new prescriber: name, registration number, practice, address. */
final class PrescriberForm extends Form {

  private final String typed;
  private Text name;
  private Text registration;
  private Text practice;
  private Text address;
  private String prescriberId;
  private PrescriberInfo saved;

  PrescriberForm(Shell parent, String typed) {
    super(parent, "New prescriber", "prescriber", false);
    this.typed = typed == null ? "" : typed.strip();
  }

  @Override
  protected Control createDialogArea(Composite parent) {
    Composite area = (Composite) super.createDialogArea(parent);
    GridLayoutFactory.swtDefaults().numColumns(2).margins(16, 12).spacing(12, 8).applyTo(area);
    heading(area, 2, "New prescriber");
    label(area, "&Name");
    name = field(area, "prescriber.name", 320);
    name.setText(typed);
    label(area, "&Registration no.");
    registration = field(area, "prescriber.registration", 200);
    label(area, "&Practice");
    practice = field(area, "prescriber.practice", 320);
    label(area, "&Address");
    address = field(area, "prescriber.address", 420);
    Text[] order = { name, registration, practice, address };
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
    Ids.id(createButton(parent, IDialogConstants.OK_ID, "&Save prescriber", false), "prescriber.ok");
    Ids.id(createButton(parent, IDialogConstants.CANCEL_ID, "Close (Esc)", false), "prescriber.cancel");
  }

  @Override
  protected void okPressed() {
    if (prescriberId == null) {
      prescriberId = UUID.randomUUID().toString();
    }
    PrescriberRequest request = new PrescriberRequest(prescriberId, name.getText().strip(), registration.getText().strip(),
        practice.getText().strip(), address.getText().strip(), null);
    saveAndClose(token -> Node.get().service().savePrescriber(token, request), p -> saved = p);
  }

  PrescriberInfo saved() {
    return saved;
  }
}
