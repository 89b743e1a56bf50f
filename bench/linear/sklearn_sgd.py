"""Reference for the linear benchmarks: scikit-learn HashingVectorizer + SGDClassifier(hinge),
one pass (partial_fit over chunks of lines) or several epochs (fit), on fastText-style lines.
Prints one JSON object: examples/s of read+parse+hash+learn, test accuracy, sklearn version."""
import json, sys, time
import numpy as np
import sklearn
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import SGDClassifier


def read(path):
    labels, texts = [], []
    with open(path, encoding='utf-8') as f:
        for line in f:
            label, _, text = line.partition(' ')
            labels.append(label)
            texts.append(text)
    return labels, texts


def main():
    train, test, epochs, bits = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    vec = HashingVectorizer(n_features=2 ** bits, token_pattern=r'\S+', lowercase=False, alternate_sign=False)
    clf = SGDClassifier(loss='hinge', random_state=0)
    t0 = time.perf_counter()
    n = 0
    if epochs == 1:
        # streaming: chunks of lines, one pass
        classes = None
        with open(train, encoding='utf-8') as f:
            while True:
                chunk = [l for _, l in zip(range(100000), f)]
                if not chunk:
                    break
                labels = [l.partition(' ')[0] for l in chunk]
                texts = [l.partition(' ')[2] for l in chunk]
                if classes is None:
                    classes = np.array(sorted(set(labels)))
                X = vec.transform(texts)
                clf.partial_fit(X, labels, classes=classes)
                n += len(chunk)
    else:
        labels, texts = read(train)
        X = vec.transform(texts)
        clf.set_params(max_iter=epochs, tol=None)
        clf.fit(X, labels)
        n = len(labels) * epochs
    train_s = time.perf_counter() - t0
    acc = None
    if test != '-':  # '-': train only (process wall time of training alone)
        tl, tt = read(test)
        acc = float(np.mean(clf.predict(vec.transform(tt)) == np.array(tl)))
    print(json.dumps({'tool': f'scikit-learn {sklearn.__version__} HashingVectorizer+SGDClassifier(hinge)', 'epochs': epochs,
                      'trainSeconds': train_s, 'examplesPerSecond': n / train_s, 'accuracy': acc}))


main()
