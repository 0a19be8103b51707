package org.glasshouse.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.ToggleButton;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;
import javafx.stage.Stage;
import org.glasshouse.app.core.FakeLabService;
import org.glasshouse.app.levels.Guide;
import org.glasshouse.app.levels.GuideParser;
import org.glasshouse.app.levels.Level;
import org.glasshouse.app.levels.Levels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The workshop's questions: every level's guide has a "Questions" section whose every question has
 * an answer ({@code Answer:} under the bullet), the parser loses none of them, and in the window
 * each answer stays hidden until its "Show answer" is pressed.
 */
@ExtendWith(ApplicationExtension.class)
class GuideQuestionsTest {
  private final FakeLabService lab = new FakeLabService();
  private AppViewModel vm;
  private MainView view;
  private Path dir;

  @Start
  void start(Stage stage) throws Exception {
    dir = Files.createTempDirectory("glasshouse-test-questions");
    vm = TestWindows.viewModel(lab, dir);
    view = new MainView(vm);
    Scene scene = new Scene(view.root(), 1366, 768);
    view.install(scene);
    stage.setScene(scene);
    stage.show();
  }

  @AfterEach
  void removeTempDir() throws Exception {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private static String markdown(Level level) throws IOException {
    try (InputStream in = GuideQuestionsTest.class.getResourceAsStream(level.guideResource())) {
      Objects.requireNonNull(in, level.guideResource());
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The bullets of the guide's "Questions" section. */
  private static List<Guide.Item> questions(Guide g) {
    List<Guide.Item> items = new ArrayList<>();
    boolean in = false;
    for (Guide.Block b : g.blocks()) {
      if (b instanceof Guide.Heading h) {
        in = h.text().equals("Questions");
      } else if (in && b instanceof Guide.Bullets list) {
        items.addAll(list.items());
      }
    }
    return items;
  }

  private static String text(List<Guide.Inline> runs) {
    StringBuilder sb = new StringBuilder();
    runs.forEach(r -> sb.append(r.text()));
    return sb.toString();
  }

  @Test
  void everyLevelAsksQuestionsAndAnswersEachOne() throws IOException {
    for (Level level : Levels.ALL) {
      String md = markdown(level);
      long answers = md.lines().filter(l -> l.strip().startsWith("Answer:")).count();
      List<Guide.Item> qs = questions(GuideParser.parse(md));
      assertFalse(qs.isEmpty(), "level " + level.code() + " has a Questions section");
      assertEquals(answers, qs.size(), "level " + level.code() + ": one question per Answer: line");
      for (Guide.Item q : qs) {
        assertFalse(q.answer().isEmpty(), level.code() + ": '" + q.plainText() + "' has an answer");
        assertFalse(
            q.plainText().contains("Answer:"),
            level.code() + ": the answer is not part of the question's text");
      }
    }
  }

  @Test
  void eachAnswerIsHiddenUntilShown(FxRobot robot) throws IOException {
    for (Level level : Levels.ALL) {
      List<Guide.Item> qs = questions(GuideParser.parse(markdown(level)));
      robot.interact(() -> vm.levels().select(level.number()));
      Node guide = robot.lookup("#guide").query();
      WaitForAsyncUtils.waitForFxEvents();
      try {
        WaitForAsyncUtils.waitFor(
            5, TimeUnit.SECONDS, () -> guide.lookupAll(".guide-show-answer").size() == qs.size());
      } catch (java.util.concurrent.TimeoutException e) {
        throw new AssertionError(
            "level "
                + level.code()
                + ": "
                + qs.size()
                + " Show answer buttons, found "
                + guide.lookupAll(".guide-show-answer").size(),
            e);
      }
      List<ToggleButton> shows =
          guide.lookupAll(".guide-show-answer").stream().map(ToggleButton.class::cast).toList();
      for (int i = 0; i < qs.size(); i++) {
        String answer = text(qs.get(i).answer());
        ToggleButton show = shows.get(i);
        TextFlow shown = answerOf(show);
        assertEquals(answer, flowText(shown), level.code() + ": the answer under its question");
        assertFalse(shown.isVisible(), level.code() + ": the answer is hidden at first");
        assertFalse(
            visibleText(guide).contains(answer), level.code() + ": no answer in the visible text");
        robot.interact(show::fire);
        assertTrue(shown.isVisible(), level.code() + ": Show answer shows it");
        assertTrue(visibleText(guide).contains(answer), level.code() + ": now it can be read");
        robot.interact(show::fire);
        assertFalse(shown.isVisible(), level.code() + ": Hide answer hides it again");
      }
    }
  }

  private static TextFlow answerOf(ToggleButton show) {
    var siblings = show.getParent().getChildrenUnmodifiable();
    return (TextFlow) siblings.get(siblings.indexOf(show) + 1);
  }

  private static String flowText(TextFlow f) {
    StringBuilder sb = new StringBuilder();
    f.getChildren().forEach(n -> sb.append(n instanceof Text t ? t.getText() : ""));
    return sb.toString();
  }

  /** The text of every Text node in the guide that is shown (it and all its parents visible). */
  private static String visibleText(Node guide) {
    StringBuilder sb = new StringBuilder();
    collect(guide, sb);
    return sb.toString();
  }

  // In scene-graph order; Text nodes of a TextFlow carry no style class to look them up by.
  private static void collect(Node n, StringBuilder sb) {
    if (!n.isVisible()) {
      return;
    }
    if (n instanceof Text t) {
      sb.append(t.getText());
    } else if (n instanceof javafx.scene.Parent p) {
      p.getChildrenUnmodifiable().forEach(c -> collect(c, sb));
    }
  }
}
