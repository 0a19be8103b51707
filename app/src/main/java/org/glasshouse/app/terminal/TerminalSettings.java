package org.glasshouse.app.terminal;

import com.techsenger.jeditermfx.core.TerminalColor;
import com.techsenger.jeditermfx.core.TextStyle;
import com.techsenger.jeditermfx.ui.settings.DefaultSettingsProvider;

/**
 * The terminal's look. JediTermFX paints on a canvas, so CSS cannot reach it: its colours and size
 * are set here. A dark terminal reads well in both themes and on a projector; presenter mode asks
 * for a larger size.
 */
final class TerminalSettings extends DefaultSettingsProvider {
  private static final TerminalColor BACKGROUND = TerminalColor.rgb(0x1f, 0x23, 0x28);
  private static final TerminalColor FOREGROUND = TerminalColor.rgb(0xe6, 0xed, 0xf3);
  private volatile float fontSize;

  TerminalSettings(float fontSize) {
    this.fontSize = fontSize;
  }

  @Override
  public float getTerminalFontSize() {
    return fontSize;
  }

  /** The size the next measurement uses; see {@link GlassTerminal#setFontSize}. */
  void setFontSize(float size) {
    this.fontSize = size;
  }

  /** 30 repaints a second are plenty for reading, and leave the FX thread room during floods. */
  @Override
  public int maxRefreshRate() {
    return 30;
  }

  @Override
  public TerminalColor getDefaultForeground() {
    return FOREGROUND;
  }

  @Override
  public TerminalColor getDefaultBackground() {
    return BACKGROUND;
  }

  @Override
  public TextStyle getDefaultStyle() {
    return new TextStyle(FOREGROUND, BACKGROUND);
  }
}
