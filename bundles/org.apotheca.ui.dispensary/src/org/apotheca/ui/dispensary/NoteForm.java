package org.apotheca.ui.dispensary;

import java.util.UUID;

import org.apotheca.node.api.RegisterEntry;
import org.apotheca.node.api.RegisterNoteRequest;
import org.apotheca.ui.Async;
import org.apotheca.ui.Ids;
import org.apotheca.ui.Node;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;

/**
 * A dated correction note on a register entry: the entry itself is shown read-only and stays as it is; the note is a
 * new entry after the last one, with today's date and the pharmacist's name.
 */
final class NoteForm extends Form {

  private final String drug;
  private final RegisterEntry entry;
  private Text text;
  private String noteId;
  private boolean busy;
  private RegisterEntry saved;

  NoteForm(Shell parent, String drug, RegisterEntry entry) {
    super(parent, "Correction note", "note", false);
    this.drug = drug;
    this.entry = entry;
  }

  @Override
  protected Control createDialogArea(Composite parent) {
    Composite area = (Composite) super.createDialogArea(parent);
    GridLayoutFactory.swtDefaults().margins(16, 12).spacing(8, 8).applyTo(area);
    heading(area, 1, "Correction note");
    Label what = Ids.id(new Label(area, SWT.WRAP), "note.entry");
    what.setFont(bold);
    what.setText(drug + "\n" + entry.date() + "  " + DispensaryTexts.kind(entry.kind())
        + (entry.quantity() == 0 ? "" : "  " + entry.quantity()) + "  balance " + entry.balanceAfter() + "  "
        + DispensaryTexts.party(entry) + "  (by " + entry.enteredBy() + ")");
    GridDataFactory.fillDefaults().grab(true, false).hint(600, SWT.DEFAULT).applyTo(what);
    Label explain = new Label(area, SWT.WRAP);
    explain.setText("The entry stays as it is. Your note is added to the register with today's date and your name.");
    explain.setFont(big);
    GridDataFactory.fillDefaults().grab(true, false).hint(600, SWT.DEFAULT).applyTo(explain);
    label(area, "&What was wrong, and what is right");
    text = Ids.id(new Text(area, SWT.BORDER | SWT.MULTI | SWT.WRAP | SWT.V_SCROLL), "note.text");
    text.setFont(big);
    text.setTextLimit(RegisterNoteRequest.MAX_TEXT);
    GridDataFactory.fillDefaults().grab(true, true).hint(600, 100).applyTo(text);
    // Enter adds the note (a note is one paragraph); the key must not also break the line
    text.addListener(SWT.KeyDown, e -> {
      if ((e.character == SWT.CR || e.keyCode == SWT.KEYPAD_CR) && (e.stateMask & SWT.MODIFIER_MASK) == 0) {
        e.doit = false;
        okPressed();
      }
    });
    text.addListener(SWT.Traverse, e -> {
      if (e.detail == SWT.TRAVERSE_RETURN) {
        e.doit = false;
      }
    });
    text.addListener(SWT.Modify, e -> noteId = null);
    message(area, 1);
    keys(area, 1, "Enter adds the note \u00b7 Esc closes without adding");
    return area;
  }

  @Override
  protected void createButtonsForButtonBar(Composite parent) {
    Ids.id(createButton(parent, IDialogConstants.OK_ID, "&Add note", false), "note.ok");
    Ids.id(createButton(parent, IDialogConstants.CANCEL_ID, "Close (Esc)", false), "note.cancel");
  }

  @Override
  protected void okPressed() {
    if (busy) {
      return;
    }
    if (noteId == null) {
      noteId = UUID.randomUUID().toString(); // kept for a retry of the same text
    }
    RegisterNoteRequest request = new RegisterNoteRequest(noteId, entry.entryId(), text.getText().strip());
    String token = tokenOrSay();
    if (token == null) {
      return;
    }
    busy = true;
    info("Adding the note...");
    Async.call(getShell(), () -> Node.get().service().addRegisterNote(token, request), e -> {
      busy = false;
      saved = e;
      super.okPressed();
    }, e -> {
      busy = false;
      error(e.getMessage());
    });
  }

  RegisterEntry saved() {
    return saved;
  }
}
