/** The bundle's entry point: the runner executes this file, which runs the action. */
import { run } from './main.js'

void run()
