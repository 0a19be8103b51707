package org.glasshouse.app.levels;

/**
 * One level of the lab.
 *
 * @param number 0..13
 * @param slug file-name part of its guide ({@code uts})
 * @param title short title for the list
 * @param check how the app proves the level against the student's own container
 */
public record Level(int number, String slug, String title, LevelCheck check) {

  /** The guide's resource path inside the app jar ({@code /assets/levels/05-uts.md}). */
  public String guideResource() {
    return String.format("/assets/levels/%02d-%s.md", number, slug);
  }

  /** "05" */
  public String code() {
    return String.format("%02d", number);
  }
}
