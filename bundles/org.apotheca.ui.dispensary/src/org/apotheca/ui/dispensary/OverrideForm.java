package org.apotheca.ui.dispensary;

import java.util.ArrayList;
import java.util.List;

import org.apotheca.node.api.ClinicalWarning;
import org.apotheca.node.api.DispenseRequest;
import org.apotheca.node.api.WarningOverrideRequest;
import org.apotheca.ui.Ids;
import org.apotheca.ui.Palette;
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
 * The pharmacist's override of the warnings that stop a dispensing: each warning in red with a reason to give. The
 * node records each reason with the pharmacist's name and the time; nothing is dispensed without them.
 */
final class OverrideForm extends Form {

  private final List<ClinicalWarning> warnings;
  private final List<Text> reasons = new ArrayList<>();
  private List<WarningOverrideRequest> overrides;

  OverrideForm(Shell parent, List<ClinicalWarning> warnings) {
    super(parent, "Override warnings", "override", false);
    this.warnings = warnings;
  }

  @Override
  protected Control createDialogArea(Composite parent) {
    Composite area = (Composite) super.createDialogArea(parent);
    GridLayoutFactory.swtDefaults().numColumns(1).margins(16, 12).spacing(8, 6).applyTo(area);
    heading(area, 1, warnings.size() == 1 ? "A warning stops this dispensing" : warnings.size() + " warnings stop this dispensing");
    Palette p = Palette.get(area.getDisplay());
    for (int i = 0; i < warnings.size(); i++) {
      ClinicalWarning w = warnings.get(i);
      Label what = Ids.id(new Label(area, SWT.WRAP), "override.warning." + i);
      what.setFont(bold);
      what.setForeground(p.danger());
      what.setText(DispensaryTexts.warningTitle(w) + ": " + w.message()
          + (w.otherMedicine() == null || w.otherMedicine().isBlank() || w.message().contains(w.otherMedicine()) ? ""
              : " (with " + w.otherMedicine() + ")"));
      GridDataFactory.fillDefaults().grab(true, false).hint(640, SWT.DEFAULT).applyTo(what);
      if (w.advice() != null && !w.advice().isBlank()) {
        Label advice = new Label(area, SWT.WRAP);
        advice.setText(w.advice());
        advice.setFont(big);
        GridDataFactory.fillDefaults().grab(true, false).hint(640, SWT.DEFAULT).applyTo(advice);
      }
      label(area, i == 0 ? "&Reason for dispensing all the same" : "Reason for dispensing all the same");
      Text reason = field(area, "override.reason." + i, 640);
      reason.setMessage("e.g. prescriber contacted, dose reviewed, INR monitored");
      reason.setTextLimit(DispenseRequest.MAX_REASON);
      reasons.add(reason);
    }
    for (int i = 0; i < reasons.size(); i++) {
      Text next = i + 1 < reasons.size() ? reasons.get(i + 1) : null;
      onEnter(reasons.get(i), next == null ? this::okPressed : next::setFocus);
    }
    message(area, 1);
    keys(area, 1, "Your name and the time are recorded with each reason \u00b7 Enter moves on and dispenses from the last \u00b7 Esc: do not dispense");
    return area;
  }

  @Override
  protected void createButtonsForButtonBar(Composite parent) {
    Ids.id(createButton(parent, IDialogConstants.OK_ID, "&Override and dispense", false), "override.ok");
    Ids.id(createButton(parent, IDialogConstants.CANCEL_ID, "Do not dispense (Esc)", false), "override.cancel");
  }

  @Override
  protected void okPressed() {
    List<WarningOverrideRequest> out = new ArrayList<>();
    for (int i = 0; i < warnings.size(); i++) {
      String r = reasons.get(i).getText().strip();
      if (r.isEmpty()) {
        reasons.get(i).setFocus();
        error("Give a reason for each warning you override.");
        return;
      }
      out.add(new WarningOverrideRequest(warnings.get(i).key(), r));
    }
    overrides = out;
    super.okPressed();
  }

  /** The overrides given, or null when the pharmacist chose not to dispense. */
  List<WarningOverrideRequest> overrides() {
    return overrides;
  }
}
