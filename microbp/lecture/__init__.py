"""Lectures: forward and backward one step at a time, with captions, as frames and a slideshow.

``steps`` lists a graph's steps and renders their frames through its view;
``captions`` writes each step as the table's formula and its numbers;
``network_steps`` and ``network_frames`` do the same for the network view;
``workload`` refuses a lecture too large to make before any work; and
``slideshow`` writes one self-contained HTML file (its CSS and JavaScript are
package data beside it).
"""
