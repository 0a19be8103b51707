package org.glasshouse.app.terminal;

import com.techsenger.jeditermfx.core.model.StyleState;
import com.techsenger.jeditermfx.core.model.TerminalTextBuffer;
import com.techsenger.jeditermfx.ui.JediTermFxWidget;
import com.techsenger.jeditermfx.ui.TerminalPanel;
import com.techsenger.jeditermfx.ui.settings.SettingsProvider;

/**
 * A JediTermFX widget whose font size can change while it runs: presenter mode and the text size
 * setting must enlarge the terminals already open, not only the next ones. The widget reads its
 * font once; {@link #setFontSize} changes the settings and asks the panel to measure again, which
 * re-sizes the terminal (fewer columns and rows) and tells the container's pty.
 */
final class GlassTerminal extends JediTermFxWidget {
  private final TerminalSettings settings;

  GlassTerminal(int columns, int rows, TerminalSettings settings) {
    super(columns, rows, settings);
    this.settings = settings;
  }

  float fontSize() {
    return settings.getTerminalFontSize();
  }

  /** Changes the font size of this open terminal; on the FX thread. */
  void setFontSize(float size) {
    if (size != settings.getTerminalFontSize()) {
      settings.setFontSize(size);
      ((Panel) getTerminalPanel()).refont();
    }
  }

  /** A row's height in pixels as the panel measured its font; 0 before it has. */
  double rowHeight() {
    return ((Panel) getTerminalPanel()).rowHeight();
  }

  // Called from the super constructor: the panel must not touch this class's fields.
  @Override
  protected TerminalPanel createTerminalPanel(
      SettingsProvider settingsProvider, StyleState styleState, TerminalTextBuffer buffer) {
    return new Panel(settingsProvider, buffer, styleState);
  }

  private static final class Panel extends TerminalPanel {
    Panel(SettingsProvider settings, TerminalTextBuffer buffer, StyleState style) {
      super(settings, buffer, style);
    }

    void refont() {
      reinitFontAndResize();
    }

    double rowHeight() {
      return myCharSize == null ? 0 : myCharSize.getHeight();
    }
  }
}
