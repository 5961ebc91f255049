package com.magicdistill.engine.data;

/**
 * A clip as stored in a dataset, with its quality verdict if it was filtered.
 *
 * @param clip the clip and its labels
 * @param verdict the filter's verdict, or null when the clip was not filtered
 */
public record DatasetItem(LabeledClip clip, QualityVerdict verdict) {}
