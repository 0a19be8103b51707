package org.glasshouse.app;

import java.util.LinkedHashMap;
import java.util.Map;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.layout.Region;

/**
 * The views' tab pane, whose tab titles stay readable: where the titles with their icons are wider
 * than the header (presenter mode at 1366×768 with the guide open: "Step log" went behind a "▾"
 * menu), the icons go and the titles stay; they come back once the titles and icons fit again.
 *
 * <p>Decided after each layout from the tab headers the skin laid out: a word is worth more than an
 * icon, and a title out of sight is a view a student does not know is there.
 */
final class ViewTabs extends TabPane {
  /** Room kept beside the titles: the header's own padding at its edges, rounded up. */
  private static final double SLACK = 8;

  private final Map<Tab, Node> icons = new LinkedHashMap<>();

  /** The width the icons took when they went; 0 while they are shown. */
  private double iconsWidth;

  /** Whether the icons are out, for titles too wide with them. */
  boolean iconsDropped() {
    return iconsWidth > 0;
  }

  @Override
  protected void layoutChildren() {
    super.layoutChildren();
    Region headers = headers();
    if (headers == null || getWidth() <= 0) {
      return;
    }
    double titles = 0;
    for (Node h : headers.getChildrenUnmodifiable()) {
      if (h.isVisible()) {
        titles += h.prefWidth(-1);
      }
    }
    Region area = (Region) headers.getParent();
    double room = area.getWidth() - area.snappedLeftInset() - area.snappedRightInset() - SLACK;
    if (iconsWidth == 0 && titles > room) {
      iconsWidth = dropIcons();
    } else if (iconsWidth > 0 && titles + iconsWidth <= room) {
      iconsWidth = 0;
      icons.forEach(Tab::setGraphic);
      icons.clear();
    }
  }

  /** Takes every tab's icon away; returns the width they took with their gaps to the titles. */
  private double dropIcons() {
    double w = 0;
    for (Tab t : getTabs()) {
      Node g = t.getGraphic();
      if (g != null) {
        // The gap between icon and title is the label's, about a third of an em: 6 px is more
        // than the themes use, so the icons come back only where they surely fit.
        w += g.getLayoutBounds().getWidth() + 6;
        icons.put(t, g);
        t.setGraphic(null);
      }
    }
    return w;
  }

  /** The skin's row of tab headers, or null before the skin is made. */
  private Region headers() {
    for (Node n : getChildrenUnmodifiable()) {
      if (n.getStyleClass().contains("tab-header-area") && n instanceof Parent p) {
        for (Node c : p.getChildrenUnmodifiable()) {
          if (c.getStyleClass().contains("headers-region") && c instanceof Region r) {
            return r;
          }
        }
      }
    }
    return null;
  }
}
