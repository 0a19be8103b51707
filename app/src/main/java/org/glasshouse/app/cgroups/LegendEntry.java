package org.glasshouse.app.cgroups;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * One container in the charts' legend: its name, its style (colour and dash), whether its lines are
 * drawn, whether it is the selected container, and its latest numbers.
 */
public final class LegendEntry {
  private final String id;
  private final int style;
  private final StringProperty description = new SimpleStringProperty("");
  private final BooleanProperty shown = new SimpleBooleanProperty(true);
  private final ReadOnlyBooleanWrapper highlighted = new ReadOnlyBooleanWrapper(false);
  private final ReadOnlyBooleanWrapper live = new ReadOnlyBooleanWrapper(true);
  private final ObjectProperty<CgroupReading> reading = new SimpleObjectProperty<>();

  LegendEntry(String id, int style) {
    this.id = id;
    this.style = style;
  }

  public String id() {
    return id;
  }

  /** The first eight characters of the id, as the container list shows it. */
  public String shortId() {
    return id.length() > 8 ? id.substring(0, 8) : id;
  }

  /** Picks the colour and dash pattern: {@code style % PALETTE} and {@code style % DASHES}. */
  public int style() {
    return style;
  }

  /** The command and level, for people. */
  public ReadOnlyStringProperty descriptionProperty() {
    return description;
  }

  /** Whether the container's lines are drawn (the legend's check box). */
  public BooleanProperty shownProperty() {
    return shown;
  }

  /** The container selected in the list: drawn on top, thicker. */
  public ReadOnlyBooleanProperty highlightedProperty() {
    return highlighted.getReadOnlyProperty();
  }

  /** Whether the container still runs. */
  public ReadOnlyBooleanProperty liveProperty() {
    return live.getReadOnlyProperty();
  }

  /** The latest reading. */
  public ReadOnlyObjectProperty<CgroupReading> readingProperty() {
    return reading;
  }

  void description(String text) {
    description.set(text);
  }

  void highlighted(boolean on) {
    highlighted.set(on);
  }

  void update(ContainerHistory h) {
    live.set(h.live());
    if (h.latest() != reading.get()) {
      reading.set(h.latest());
    }
  }
}
