package com.magicdistill.cli;

final class Placeholder {}
